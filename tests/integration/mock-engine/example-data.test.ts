// The sample the README hands a newcomer (`--init-sql examples/my-data.sql`)
// loads into an engine and answers queries, non-ASCII text and NULLs intact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectRows } from '../../support/engine-client';
import { useMockEngine } from '../../support/mock-engine';

const SAMPLE = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'my-data.sql'), 'utf8');

describe('examples/my-data.sql', () => {
  const mock = useMockEngine({ name: 'blue', mockTableRows: 10, initSql: [SAMPLE] });

  it('creates my_cities with its non-ASCII names and a NULL population', async () => {
    const rows = await selectRows(mock.client, 'blue', 'SELECT id, name, country, population FROM my_cities ORDER BY id');
    expect(rows).toEqual([
      [1, 'München', 'Deutschland', 1_500_000n],
      [2, 'Zürich', 'Schweiz', 420_000n],
      [3, 'São Paulo', 'Brasil', 11_400_000n],
      [4, '東京', '日本', 14_000_000n],
      [5, 'Kraków', 'Polska', null],
    ]);
  });

  it('creates my_visits, joinable to my_cities, with a NULL note', async () => {
    const rows = await selectRows(
      mock.client,
      'blue',
      'SELECT c.name, v.note FROM my_visits v JOIN my_cities c ON c.id = v.city_id ORDER BY v.visited_on',
    );
    expect(rows).toEqual([
      ['München', 'Brezn und Weißwurst'],
      ['東京', null],
      ['São Paulo', 'café ☕'],
    ]);
  });
});
