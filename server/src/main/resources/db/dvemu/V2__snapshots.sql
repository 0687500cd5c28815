-- Snapshots of every table's rows (POST /_dvemu/snapshots/{name}), kept in the database so every server on it sees
-- them and they outlive a restart. One row here per snapshot; its rows are in dvemu_snapshots.s<id>_<table>.
CREATE SCHEMA dvemu_snapshots;
CREATE TABLE dvemu_snapshots.snapshot (
    name       text PRIMARY KEY,
    id         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    created_on timestamptz NOT NULL,
    row_count  bigint NOT NULL,
    -- {"<table>": {"rows": n, "columns": ["<column>", ...]}}
    tables     jsonb NOT NULL,
    -- {"<sequence>": <the value its next nextval returns>}
    sequences  jsonb NOT NULL
);
