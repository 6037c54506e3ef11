import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Layout } from './components/layout';
import { DeadLettersPage } from './features/dead-letters/components/dead-letters-page';
import { EditorPage } from './features/editor/components/editor-page';
import { QueriesPage } from './features/queries/components/queries-page';
import { TablesPage } from './features/tables/components/tables-page';
import { TopicsPage } from './features/topics/components/topics-page';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } });

const router = createBrowserRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/queries" replace /> },
      { path: 'queries', element: <QueriesPage /> },
      { path: 'editor', element: <EditorPage /> },
      { path: 'tables', element: <TablesPage /> },
      { path: 'topics', element: <TopicsPage /> },
      { path: 'dead-letters', element: <DeadLettersPage /> },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
