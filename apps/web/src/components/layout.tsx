import { AppShell, Burger, Group, NavLink as MantineNavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ConnectionBanner } from './connection-banner';
import { StatusBar } from './status-bar';
import { TokenModal } from './token-modal';

const pages = [
  { to: '/queries', label: 'Queries' },
  { to: '/editor', label: 'Editor' },
  { to: '/tables', label: 'Tables' },
  { to: '/topics', label: 'Topics' },
  { to: '/dead-letters', label: 'Dead letters' },
];

export function Layout() {
  const [navOpen, nav] = useDisclosure(false);
  const location = useLocation();
  return (
    <AppShell
      header={{ height: 44 }}
      navbar={{ width: 184, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding={0}
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger
            opened={navOpen}
            onClick={nav.toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label="Toggle navigation"
          />
          <Text fw={700} size="md" className="brand">
            <span className="logo" aria-hidden="true">
              ≋
            </span>{' '}
            Sluice
          </Text>
          <StatusBar />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6}>
        <nav aria-label="Main">
          {pages.map((page) => (
            <MantineNavLink
              key={page.to}
              component={NavLink}
              to={page.to}
              label={page.label}
              active={location.pathname.startsWith(page.to)}
              onClick={nav.close}
              py={6}
            />
          ))}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main>
        <ConnectionBanner />
        <main className="content">
          <Outlet />
        </main>
      </AppShell.Main>
      <TokenModal />
    </AppShell>
  );
}
