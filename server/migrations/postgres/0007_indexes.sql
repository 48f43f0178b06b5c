-- Found by the benchmark (BENCHMARKS.md): with 1,000,000 users, step 1 counted an
-- establishment's accounts by scanning the whole table (the partial indexes do not serve
-- a plain establishment_id lookup). Letters are looked up by candidate and establishment.
CREATE INDEX users_establishment ON users (establishment_id);
CREATE INDEX letters_user ON letters (user_id);
CREATE INDEX letters_establishment ON letters (establishment_id);
