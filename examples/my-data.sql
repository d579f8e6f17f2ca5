-- A small data set of your own, loaded next to the seeded one:
--   pnpm mock-engine --init-sql examples/my-data.sql
-- Every engine (blue and green) runs this file when it starts, so a query
-- sees the same rows whichever deployment answers. Populations are rounded,
-- for illustration only.
CREATE TABLE my_cities (
  id         INTEGER PRIMARY KEY,
  name       VARCHAR NOT NULL,
  country    VARCHAR NOT NULL,
  population BIGINT            -- NULL where not known
);
INSERT INTO my_cities VALUES
  (1, 'München',   'Deutschland', 1500000),
  (2, 'Zürich',    'Schweiz',      420000),
  (3, 'São Paulo', 'Brasil',     11400000),
  (4, '東京',       '日本',        14000000),
  (5, 'Kraków',    'Polska',         NULL);

CREATE TABLE my_visits (
  city_id    INTEGER NOT NULL REFERENCES my_cities (id),
  visited_on DATE NOT NULL,
  note       VARCHAR           -- NULL: no note
);
INSERT INTO my_visits VALUES
  (1, DATE '2026-03-14', 'Brezn und Weißwurst'),
  (3, DATE '2026-05-20', 'café ☕'),
  (4, DATE '2026-04-01', NULL);
