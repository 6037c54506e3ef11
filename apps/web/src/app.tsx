import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Layout } from './components/layout';
import { DeadLettersPage } from './features/dead-letters/components/dead-letters-page';
import { EditorPage } from './features/editor/components/editor-page';
import { QueriesPage } from './features/queries/components/queries-page';
import { QueryDetailPage } from './features/queries/components/query-detail-page';
import { TablesPage } from './features/tables/components/tables-page';
import { TopicDetailPage } from './features/topics/components/topic-detail-page';
import { TopicsPage } from './features/topics/components/topics-page';
import { theme } from './lib/theme';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const router = createBrowserRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/queries" replace /> },
      { path: 'queries', element: <QueriesPage /> },
      { path: 'queries/:id', element: <QueryDetailPage /> },
      { path: 'queries/:id/edit', element: <EditorPage /> },
      { path: 'editor', element: <EditorPage /> },
      { path: 'tables', element: <TablesPage /> },
      { path: 'tables/:name', element: <TablesPage /> },
      { path: 'topics', element: <TopicsPage /> },
      { path: 'topics/:topic', element: <TopicDetailPage /> },
      { path: 'dead-letters', element: <DeadLettersPage /> },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <RouterProvider router={router} />
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
