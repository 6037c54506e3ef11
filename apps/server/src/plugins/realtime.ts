import fp from 'fastify-plugin';
import { Server } from 'socket.io';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
    rooms: RoomRegistry;
  }
}

/** What a feature does when clients join or leave the rooms of one prefix (`topic:`). */
export interface RoomHooks {
  /** Before the socket joins; a rejection is the subscribe ack's error. */
  beforeJoin?(room: string): Promise<void>;
  /** After it joined, before the ack (the socket leaves again on a rejection). */
  afterJoin?(room: string): Promise<void>;
  /** The last socket left the room (unsubscribe or disconnect). */
  onEmpty?(room: string): void;
}

export interface RoomRegistry {
  register(prefix: string, hooks: RoomHooks): void;
}

export interface RealtimePluginOptions {
  apiToken: string | undefined;
}

/**
 * Rooms a client may join (docs/server-api.md): `queries`, `query:<id>`, `table:<name>`,
 * `topic:<name>` (Kafka's topic-name characters), `dead-letters`.
 */
const ROOM = /^(queries|dead-letters|query:[0-9a-f-]{36}|table:[\w.-]{1,200}|topic:[A-Za-z0-9._-]{1,249})$/;

/**
 * socket.io on the same HTTP server. Clients `emit('subscribe', room | { room, sinceBatchId }, ack)` /
 * `emit('unsubscribe', room)`;
 * the server pushes progress, status, rows and dead-letter events into those rooms.
 */
export const realtimePlugin = fp<RealtimePluginOptions>(
  async (app, options) => {
    const io = new Server(app.server, { path: '/socket.io', serveClient: false });
    const hooks = new Map<string, RoomHooks>();
    const hooksOf = (room: string) => {
      for (const [prefix, h] of hooks) if (room.startsWith(prefix)) return h;
      return undefined;
    };
    io.of('/').adapter.on('delete-room', (room: string) => hooksOf(room)?.onEmpty?.(room));
    app.decorate('rooms', {
      register(prefix: string, roomHooks: RoomHooks) {
        hooks.set(prefix, roomHooks);
      },
    });
    if (options.apiToken) {
      io.use((socket, next) => {
        const token = (socket.handshake.auth as { token?: unknown }).token;
        if (token === options.apiToken) next();
        else next(new Error('unauthorized: a valid bearer token is required'));
      });
    }
    io.on('connection', (socket) => {
      socket.on('subscribe', (request: unknown, ack?: (reply: { ok: boolean; error?: string }) => void) => {
        const reply = typeof ack === 'function' ? ack : () => {};
        const { room, sinceBatchId } =
          typeof request === 'object' && request !== null
            ? (request as { room?: unknown; sinceBatchId?: unknown })
            : { room: request, sinceBatchId: undefined };
        if (typeof room !== 'string' || !ROOM.test(room)) {
          reply({ ok: false, error: `unknown room '${typeof room === 'string' ? room : String(room)}'` });
          return;
        }
        if (sinceBatchId === undefined || sinceBatchId === null) {
          const roomHooks = hooksOf(room);
          if (!roomHooks) {
            void socket.join(room);
            reply({ ok: true });
            return;
          }
          const join = async () => {
            await roomHooks.beforeJoin?.(room);
            await socket.join(room);
            try {
              await roomHooks.afterJoin?.(room);
            } catch (error) {
              await socket.leave(room);
              throw error;
            }
          };
          join().then(
            () => reply({ ok: true }),
            (error: Error) => reply({ ok: false, error: error.message }),
          );
          return;
        }
        const queryId = room.startsWith('query:') ? room.slice('query:'.length) : undefined;
        if (typeof sinceBatchId !== 'number' || !Number.isInteger(sinceBatchId) || !queryId) {
          reply({ ok: false, error: 'sinceBatchId must be an integer, on a query:<id> room' });
          return;
        }
        // The missed progress comes first, in order, then the socket joins the room for live events.
        app.queries.catchUp(socket, queryId, sinceBatchId).then(
          () => reply({ ok: true }),
          (error: Error) => reply({ ok: false, error: error.message }),
        );
      });
      socket.on('unsubscribe', (room: unknown) => {
        if (typeof room === 'string') void socket.leave(room);
      });
    });
    app.decorate('io', io);
    // preClose, not onClose: the HTTP server only finishes closing once its upgraded websocket
    // connections are gone, so they must be dropped before fastify closes it.
    app.addHook('preClose', async () => {
      io.disconnectSockets(true);
      io.engine.close();
    });
  },
  { name: 'realtime' },
);
