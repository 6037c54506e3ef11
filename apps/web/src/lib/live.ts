import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

let socket: Socket | undefined;

/** One socket.io connection for the whole dashboard. */
export function getSocket(): Socket {
  socket ??= io({ path: '/socket.io', transports: ['websocket'] });
  return socket;
}

/** True while the live connection to the server is up. */
export function useLiveConnection(): boolean {
  const [connected, setConnected] = useState(() => getSocket().connected);
  useEffect(() => {
    const s = getSocket();
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    s.on('connect', up);
    s.on('disconnect', down);
    setConnected(s.connected);
    return () => {
      s.off('connect', up);
      s.off('disconnect', down);
    };
  }, []);
  return connected;
}
