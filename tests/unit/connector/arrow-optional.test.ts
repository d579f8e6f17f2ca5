// apache-arrow is an optional dependency: without it the Arrow methods fail
// with a clear, typed error and nothing is sent; the columnar methods, which do
// not need it, keep working.
import { E6DataError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { numbersResult } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

jest.mock('apache-arrow', () => {
  throw Object.assign(new Error("Cannot find module 'apache-arrow'"), { code: 'MODULE_NOT_FOUND' });
});

describe('Arrow without apache-arrow installed', () => {
  const env = useTestEnvironment();

  test('fetchArrow and arrowBatches name the missing package; batches() still works', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(5, 2);
    const connection = await env().connect();
    const cursor = connection.cursor();
    await cursor.execute('SELECT n FROM numbers');
    const err = await rejectionOf(cursor.fetchArrow(), E6DataError);
    expect(err).toMatchObject({ code: 'OPTIONAL_DEPENDENCY_MISSING', stage: 'not-sent' });
    expect(err.message).toContain("optional package 'apache-arrow'");
    expect(err.message).toContain('npm install apache-arrow');
    await rejectionOf(cursor.arrowBatches().next(), E6DataError);
    const counts: number[] = [];
    for await (const batch of cursor.batches()) counts.push(batch.rowCount);
    expect(counts).toEqual([2, 2, 1]);
    await cursor.close();
  });
});
