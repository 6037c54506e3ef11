import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'sluice.apiToken';

interface TokenPromptState {
  /** True while a 401 waits for the operator to type a token. */
  open: boolean;
  /** Set when the previous token was refused, so the prompt can say so. */
  rejected: boolean;
}

let state: TokenPromptState = { open: false, rejected: false };
let waiting: Array<(token: string) => void> = [];
const listeners = new Set<() => void>();

function publish(next: TokenPromptState) {
  state = next;
  for (const listener of listeners) listener();
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Stores the token and releases every call that was waiting for it. */
export function provideToken(token: string): void {
  localStorage.setItem(STORAGE_KEY, token);
  const resolvers = waiting;
  waiting = [];
  publish({ open: false, rejected: false });
  for (const resolve of resolvers) resolve(token);
}

/**
 * Asks the operator for the API token once, however many calls answered 401 at the same time;
 * resolves with the token they typed.
 */
export function requestToken(rejectedToken: string | null): Promise<string> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!state.open) publish({ open: true, rejected: rejectedToken !== null });
  });
}

export function useTokenPrompt(): TokenPromptState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
