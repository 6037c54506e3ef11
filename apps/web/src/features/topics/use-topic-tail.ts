import { useDocumentVisibility } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { getSocket, useSocketEvent } from '../../lib/live';
import type { TopicMessage } from './api/topics-api';
import { prependTailed } from './browse';

export type TailStatus = 'off' | 'joining' | 'live' | 'paused' | 'failed';

export interface TopicTail {
  status: TailStatus;
  error: string | null;
  messages: TopicMessage[];
  /** Records the server did not push (over its 500 per second), to be browsed instead. */
  skipped: number;
  clear: () => void;
}

/**
 * Follows `topic:<name>` while `enabled` and the tab is visible (a hidden tab leaves the room, so the
 * server can stop its tail). `live` means the server acknowledged: its consumer sits at each
 * partition's end, so every record produced from then on arrives.
 */
export function useTopicTail(topic: string, enabled: boolean): TopicTail {
  const visible = useDocumentVisibility() === 'visible';
  const active = enabled && visible;
  const [status, setStatus] = useState<TailStatus>('off');
  const [error, setError] = useState<string | null>(null);
  const [messages, setMessages] = useState<TopicMessage[]>([]);
  const [skipped, setSkipped] = useState(0);

  useEffect(() => {
    if (!active) {
      setStatus(enabled ? 'paused' : 'off');
      return;
    }
    const socket = getSocket();
    const room = `topic:${topic}`;
    let current = true;
    const join = () => {
      setStatus('joining');
      socket.emit('subscribe', room, (ack: { ok: boolean; error?: string } | undefined) => {
        if (!current) return;
        setStatus(ack?.ok ? 'live' : 'failed');
        setError(ack?.ok ? null : (ack?.error ?? 'the server refused the subscription'));
      });
    };
    const down = () => setStatus('joining');
    if (socket.connected) join();
    // A reconnect (server restart, network) joins again: the server forgets rooms with the socket.
    socket.on('connect', join);
    socket.on('disconnect', down);
    return () => {
      current = false;
      socket.off('connect', join);
      socket.off('disconnect', down);
      if (socket.connected) socket.emit('unsubscribe', room);
    };
  }, [active, enabled, topic]);

  useSocketEvent<TopicMessage>('message', (message) => {
    if (active && message.topic === topic) setMessages((shown) => prependTailed(shown, message));
  });
  useSocketEvent<{ topic: string; count: number }>('skipped', (event) => {
    if (active && event.topic === topic) setSkipped((n) => n + event.count);
  });

  return {
    status,
    error,
    messages,
    skipped,
    clear: () => {
      setMessages([]);
      setSkipped(0);
    },
  };
}
