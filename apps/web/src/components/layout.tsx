import { NavLink, Outlet } from 'react-router';
import { StatusBar } from './status-bar';

const pages = [
  { to: '/queries', label: 'Queries' },
  { to: '/editor', label: 'Editor' },
  { to: '/tables', label: 'Tables' },
  { to: '/topics', label: 'Topics' },
  { to: '/dead-letters', label: 'Dead letters' },
];

export function Layout() {
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ≋
          </span>{' '}
          Sluice
        </div>
        <nav aria-label="Main">
          <ul>
            {pages.map((page) => (
              <li key={page.to}>
                <NavLink to={page.to}>{page.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <StatusBar />
        </header>
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
