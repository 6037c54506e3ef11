import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { getToken, requestToken } from './auth-token';

interface RoomEntry {
  count: number;
  /** For `query:<id>` rooms: the last batch the client holds, so a re-join replays what it missed. */
  sinceBatchId?: () => number | undefined;
  /** Called when the server acknowledged the join (and on every re-join after a reconnect). */
  onJoined?: () => void;
}

let socket: Socket | undefined;
const rooms = new Map<string, RoomEntry>();

function join(s: Socket, room: string, entry: RoomEntry) {
  const since = entry.sinceBatchId?.();
  s.emit('subscribe', since === undefined ? room : { room, sinceBatchId: since }, () => entry.onJoined?.());
}

/** One socket.io connection for the whole dashboard, carrying the API token, re-joining its rooms on every connect. */
export function getSocket(): Socket {
  if (socket) return socket;
  const s = io({
    path: '/socket.io',
    transports: ['websocket'],
    // A function so every reconnect sends the token stored now, not the one at page load.
    auth: (cb) => cb({ token: getToken() ?? '' }),
  });
  s.on('connect', () => {
    for (const [room, entry] of rooms) join(s, room, entry);
  });
  s.on('connect_error', (error) => {
    // A refused handshake is not retried by socket.io itself: ask for the token, then connect again.
    if (/unauthorized/i.test(error.message)) {
      void requestToken(getToken()).then(() => s.connect());
    }
  });
  s.on('disconnect', (reason) => {
    // A server-side disconnect (a restart) is not retried automatically either.
    if (reason === 'io server disconnect') setTimeout(() => s.connect(), 1000);
  });
  socket = s;
  return s;
}

/** Joins a room while the returned function is not called; shared, reference-counted joins. */
export function joinRoom(
  room: string,
  sinceBatchId?: () => number | undefined,
  onJoined?: () => void,
): () => void {
  const s = getSocket();
  const existing = rooms.get(room);
  if (existing) {
    existing.count += 1;
    // Already joined: the caller's snapshot may predate events it has not seen; let it catch up.
    onJoined?.();
  } else {
    const entry: RoomEntry = { count: 1, sinceBatchId, ...(onJoined ? { onJoined } : {}) };
    rooms.set(room, entry);
    if (s.connected) join(s, room, entry);
  }
  return () => {
    const entry = rooms.get(room);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count === 0) {
      rooms.delete(room);
      if (s.connected) s.emit('unsubscribe', room);
    }
  };
}

/** Listens to one socket event for the lifetime of the component (the latest handler is always called). */
export function useSocketEvent<T>(event: string, handler: (payload: T) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const s = getSocket();
    const listener = (payload: T) => latest.current(payload);
    s.on(event, listener);
    return () => {
      s.off(event, listener);
    };
  }, [event]);
}

/** Joins `room` while mounted. */
export function useRoom(
  room: string | undefined,
  sinceBatchId?: () => number | undefined,
  onJoined?: () => void,
): void {
  const since = useRef(sinceBatchId);
  since.current = sinceBatchId;
  const joined = useRef(onJoined);
  joined.current = onJoined;
  useEffect(() => {
    if (!room) return;
    return joinRoom(
      room,
      () => since.current?.(),
      () => joined.current?.(),
    );
  }, [room]);
}

export interface LiveConnection {
  connected: boolean;
  /** When the last event of any kind arrived (for the "updated n s ago" hint). */
  lastEventAt: number | null;
}

/** Whether the live connection is up, and when it last carried something. */
export function useLiveConnection(): LiveConnection {
  const [connected, setConnected] = useState(() => getSocket().connected);
  const [lastEventAt, setLastEventAt] = useState<number | null>(null);
  useEffect(() => {
    const s = getSocket();
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    const any = () => setLastEventAt(Date.now());
    s.on('connect', up);
    s.on('disconnect', down);
    s.onAny(any);
    setConnected(s.connected);
    return () => {
      s.off('connect', up);
      s.off('disconnect', down);
      s.offAny(any);
    };
  }, []);
  return { connected, lastEventAt };
}
