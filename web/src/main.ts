import './styles/main.css';
import { startDashboard } from './dashboard.ts';

const root = document.getElementById('app');
if (root) {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  startDashboard({
    root,
    storage,
    media: window.matchMedia('(prefers-color-scheme: dark)'),
    now: () => Date.now(),
  });
}
