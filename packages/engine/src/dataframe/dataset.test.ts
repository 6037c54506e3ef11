import { describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import { MemoryStream } from '../sources/memory-stream.js';
import { parseTableSchema } from '../sql/index.js';
import { memoryStreamDF } from '../streaming/data-stream-reader.js';
import '../streaming/index.js';
import type { StreamingQuery } from '../streaming/streaming-query.js';
import { col } from './functions.js';
import { udf } from './udf.js';

function session(): Session {
  return Session.builder().appName('datasets').create();
}

describe('udf', () => {
  it('calls a TypeScript function per row from the DataFrame API and from SQL', async () => {
    const s = session();
    const df = s.createDataFrame(
      [
        { name: 'ann', tags: ['a', 'b'], info: { age: 30 } },
        { name: null, tags: [], info: { age: 40 } },
      ],
      'name STRING, tags ARRAY<STRING>, info STRUCT<age: INT>',
    );
    const shout = udf((n: string | null) => (n === null ? 'nobody' : `${n.toUpperCase()}!`));
    const nextAge = udf((i: { age: number }) => i.age + 1, 'int');
    const tagCount = udf((t: string[]) => t.length, 'int');
    expect(
      await df.select(shout(col('name')).alias('s'), nextAge('info'), tagCount('tags')).collectValues(),
    ).toEqual([
      ['ANN!', 31, 2],
      ['nobody', 41, 0],
    ]);
    s.udf.register('plus_one', (x: number) => x + 1, 'bigint');
    df.createOrReplaceTempView('people');
    expect(await s.sql('SELECT plus_one(info.age) AS a FROM people ORDER BY a').collectValues()).toEqual([
      [31],
      [41],
    ]);
    // Registered UDFs are listed by name; anonymous ones are not.
    const { functionNames } = await import('../functions/registry.js');
    expect(functionNames()).toContain('plus_one');
    expect(functionNames().some((n) => n.startsWith('\u0002'))).toBe(false);
  });

  it('a throwing UDF fails with FAILED_EXECUTE_UDF naming the function and the cause', async () => {
    const s = session();
    s.udf.register(
      'boom',
      (x: number) => {
        if (x > 1) throw new RangeError(`too big: ${x}`);
        return x;
      },
      'int',
    );
    const df = s.range(3).toDF('x');
    df.createOrReplaceTempView('xs');
    await expect(async () => await s.sql('SELECT boom(x) FROM xs').collectValues()).rejects.toThrow(
      /\[FAILED_EXECUTE_UDF\] User defined function \(`boom`: \(bigint\) => int\) failed due to: RangeError: too big: 2\./,
    );
  });
});

interface UserProfile {
  userId: string;
  eventType: string;
  productId: string;
  productPrice: number;
}

describe('typed Datasets', () => {
  const profiles = [
    { userId: 'u1', eventType: 'view', productId: 'p1', productPrice: 10 },
    { userId: 'u1', eventType: 'order', productId: 'p2', productPrice: 25.5 },
    { userId: 'u2', eventType: 'order', productId: 'p1', productPrice: 10 },
  ];
  const profileSchema = 'userId STRING, eventType STRING, productId STRING, productPrice DOUBLE';

  it('as<T>(), map with a DDL schema, filter with a function, collect typed objects', async () => {
    const s = session();
    const ds = s.createDataFrame(profiles, profileSchema).as<UserProfile>();
    const orders = ds
      .filter((p) => p.eventType === 'order')
      .map((p) => ({ userId: p.userId, amount: p.productPrice * 2 }), 'userId STRING, amount DOUBLE');
    expect(orders.columns).toEqual(['userId', 'amount']);
    expect(await orders.collect()).toEqual([
      { userId: 'u1', amount: 51 },
      { userId: 'u2', amount: 20 },
    ]);
    // A primitive encoder gives one `value` column.
    const ids = ds.map((p) => p.userId, 'string');
    expect(ids.columns).toEqual(['value']);
    expect(await ids.collect()).toEqual(['u1', 'u1', 'u2']);
    expect(await ids.filter((id) => id === 'u2').count()).toBe(1);
    // A sample object as the encoder; flatMap.
    const letters = ds.flatMap((p) => p.productId.split(''), 'string');
    expect(await letters.collect()).toEqual(['p', '1', 'p', '2', 'p', '1']);
    const priced = ds.map((p) => ({ id: p.productId, cents: Math.round(p.productPrice * 100) }), {
      id: '',
      cents: 0,
    });
    expect(priced.schema.fields.map((f) => `${f.name}:${f.dataType.kind}`)).toEqual([
      'id:string',
      'cents:long',
    ]);
    // Typed then untyped: groupBy over the mapped columns.
    expect(await orders.groupBy('userId').count().orderBy('userId').collectValues()).toEqual([
      ['u1', 1],
      ['u2', 1],
    ]);
  });

  it('DataFrame.filter takes a TypeScript function over the row (no raw TypeError at start())', async () => {
    const s = session();
    const df = s.createDataFrame(profiles, profileSchema);
    expect(
      await df
        .filter((r) => (r.productPrice as number) > 10)
        .select('productId')
        .collectValues(),
    ).toEqual([['p2']]);
    const ms = new MemoryStream(parseTableSchema(profileSchema));
    const q = memoryStreamDF(s, ms)
      .where((r) => r.eventType === 'view')
      .writeStream.format('memory')
      .queryName('views')
      .start();
    ms.addData(profiles);
    await q.processAllAvailable();
    await q.stop();
    expect(await s.sql('SELECT userId FROM views').collectValues()).toEqual([['u1']]);
  });

  it('an encoder sample with an undefined field is refused with a clear error', async () => {
    const s = session();
    const ds = s.createDataFrame(profiles, profileSchema).as<UserProfile>();
    expect(() => ds.map((p) => ({ a: p.userId, b: undefined }), { a: '', b: undefined })).toThrow(
      /field `b` is null or undefined/,
    );
  });

  it('the seeds’ streaming patterns: dfRaw.as[UserProfile].map(...).filter(...).groupBy(...) and the web/app union', async () => {
    const s = session();
    const started: StreamingQuery[] = [];
    try {
      // Pattern: Dataset conversion, then map/filter/groupBy on a stream.
      const raw = new MemoryStream(parseTableSchema(profileSchema));
      const dsConverted = memoryStreamDF(s, raw).as<UserProfile>();
      const dfTransformed = dsConverted
        .map(
          (p) => ({ userId: p.userId, eventType: p.eventType, price: p.productPrice }),
          'userId STRING, eventType STRING, price DOUBLE',
        )
        .filter((e) => e.eventType === 'order')
        .groupBy('userId')
        .sum('price');
      started.push(
        dfTransformed.writeStream.format('memory').queryName('order_totals').outputMode('complete').start(),
      );

      // Pattern: two platform formats mapped to one common event and unioned.
      interface UserEventWeb {
        userId: string;
        eventType: string;
        browser: string;
      }
      interface UserEventApp {
        userId: string;
        eventType: string;
        platform: string;
      }
      interface EventCommon {
        userId: string;
        eventType: string;
        client: string;
      }
      const common = 'userId STRING, eventType STRING, client STRING';
      const web = new MemoryStream(parseTableSchema('userId STRING, eventType STRING, browser STRING'));
      const app = new MemoryStream(parseTableSchema('userId STRING, eventType STRING, platform STRING'));
      const dsEventWeb = memoryStreamDF(s, web).as<UserEventWeb>();
      const dsEventApp = memoryStreamDF(s, app).as<UserEventApp>();
      const dsEventCommonWeb = dsEventWeb.map<EventCommon>(
        (e) => ({ userId: e.userId, eventType: e.eventType, client: `web/${e.browser}` }),
        common,
      );
      const dsEventCommonApp = dsEventApp.map<EventCommon>(
        (e) => ({ userId: e.userId, eventType: e.eventType, client: `app/${e.platform}` }),
        common,
      );
      const dsEventCommonAll = dsEventCommonWeb.union(dsEventCommonApp);
      expect(dsEventCommonAll.isStreaming).toBe(true);
      started.push(dsEventCommonAll.writeStream.format('memory').queryName('all_events').start());

      raw.addData(profiles);
      web.addData([{ userId: 'u1', eventType: 'click', browser: 'firefox' }]);
      app.addData([{ userId: 'u2', eventType: 'open', platform: 'ios' }]);
      for (const q of started) await q.processAllAvailable();
      expect(await s.sql('SELECT * FROM order_totals ORDER BY userId').collectValues()).toEqual([
        ['u1', 25.5],
        ['u2', 10],
      ]);
      expect(await s.sql('SELECT * FROM all_events ORDER BY userId').collectValues()).toEqual([
        ['u1', 'click', 'web/firefox'],
        ['u2', 'open', 'app/ios'],
      ]);
    } finally {
      for (const q of started) await q.stop();
    }
  });
});
