-- The refusal index (issue 22; docs/refusal-index.md). A list job looks up only its own rows'
-- keys, in batches, as one index probe per key: `refusals` holds the current refusals keyed by
-- the 64-bit hash of the delivery-point key a cleanse computes for every row
-- (src/address/key-hash.ts), the category, and a mailer (0: every mailer; room for a household
-- refusing one named mailer, which no writer records yet). It is owned by choices/ and kept by
-- the triggers below in the same statement as every write of `preferences`, whatever writes it
-- (the web form's record_choice_changes, card imports, moves, the national loader), so it always
-- equals `preferences` where NOT accepted. The snapshot rule (a choice recorded after a job's
-- snapshot does not apply to it) is the lookup's: src/choices/refusal-index-store.ts.

-- The key's hash as the cleanse computes it: the core of cyrb53 over the key's UTF-16 code units
-- (key-hash.ts), as a bigint whose high 32 bits are the hash's `hi` lane and low 32 bits its `lo`.
-- Writers that know the hash already (the loader) give it; this computes it for the others.
CREATE OR REPLACE FUNCTION delivery_point_key_hash(key text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  m32 CONSTANT bigint := 4294967295;
  a bigint := 3735928559; -- 0xdeadbeef
  b bigint := 1103547991; -- 0x41c6ce57
  x bigint;
  y bigint;
  code integer;
  units integer[];
  unit integer;
BEGIN
  FOR i IN 1 .. length(key) LOOP
    code := ascii(substr(key, i, 1));
    IF code > 65535 THEN
      units := ARRAY[55296 + ((code - 65536) >> 10), 56320 + ((code - 65536) & 1023)];
    ELSE
      units := ARRAY[code];
    END IF;
    FOREACH unit IN ARRAY units LOOP
      -- Math.imul(a ^ unit, 2654435761) and Math.imul(b ^ unit, 1597334677), in 16-bit halves so
      -- that no product leaves bigint
      x := a # unit;
      a := (x * (2654435761 & 65535) + (((x * (2654435761 >> 16)) & 65535) << 16)) & m32;
      x := b # unit;
      b := (x * (1597334677 & 65535) + (((x * (1597334677 >> 16)) & 65535) << 16)) & m32;
    END LOOP;
  END LOOP;
  -- endKeyHash
  x := a # (a >> 16);
  x := (x * (2246822507 & 65535) + (((x * (2246822507 >> 16)) & 65535) << 16)) & m32;
  y := b # (b >> 13);
  y := (y * (3266489909 & 65535) + (((y * (3266489909 >> 16)) & 65535) << 16)) & m32;
  a := x # y;
  x := b # (b >> 16);
  x := (x * (2246822507 & 65535) + (((x * (2246822507 >> 16)) & 65535) << 16)) & m32;
  y := a # (a >> 13);
  y := (y * (3266489909 & 65535) + (((y * (3266489909 >> 16)) & 65535) << 16)) & m32;
  b := x # y;
  RETURN (a << 32) | b;
END
$$;

ALTER TABLE delivery_points ADD COLUMN IF NOT EXISTS key_hash bigint;
UPDATE delivery_points SET key_hash = delivery_point_key_hash(key) WHERE key_hash IS NULL;
ALTER TABLE delivery_points ALTER COLUMN key_hash SET NOT NULL;

CREATE OR REPLACE FUNCTION delivery_points_set_key_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.key_hash := delivery_point_key_hash(NEW.key);
  RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS delivery_points_key_hash_insert ON delivery_points;
CREATE TRIGGER delivery_points_key_hash_insert BEFORE INSERT ON delivery_points
  FOR EACH ROW WHEN (NEW.key_hash IS NULL) EXECUTE FUNCTION delivery_points_set_key_hash();
DROP TRIGGER IF EXISTS delivery_points_key_hash_update ON delivery_points;
CREATE TRIGGER delivery_points_key_hash_update BEFORE UPDATE OF key ON delivery_points
  FOR EACH ROW WHEN (NEW.key IS DISTINCT FROM OLD.key) EXECUTE FUNCTION delivery_points_set_key_hash();

CREATE TABLE IF NOT EXISTS refusals (
  key_hash           bigint NOT NULL,
  category_id        integer NOT NULL,
  -- 0: the category from every mailer; room for a refusal of one mailer (its id)
  mailer_id          integer NOT NULL DEFAULT 0,
  delivery_point_id  bigint NOT NULL,
  -- the refusal's event time (preferences.updated_at): the discard report's choice date
  refused_at         timestamptz NOT NULL,
  PRIMARY KEY (key_hash, category_id, mailer_id, delivery_point_id) INCLUDE (refused_at)
);

INSERT INTO refusals (key_hash, category_id, delivery_point_id, refused_at)
SELECT dp.key_hash, p.category_id, p.delivery_point_id, p.updated_at
  FROM preferences p JOIN delivery_points dp ON dp.id = p.delivery_point_id
 WHERE NOT p.accepted
ON CONFLICT DO NOTHING;

-- Statement-level triggers with transition tables: one set-based statement per write of
-- preferences, however many rows it wrote (the loader's hundreds of thousands included).
CREATE OR REPLACE FUNCTION refusals_after_preferences_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO refusals (key_hash, category_id, delivery_point_id, refused_at)
  SELECT dp.key_hash, n.category_id, n.delivery_point_id, n.updated_at
    FROM new_rows n JOIN delivery_points dp ON dp.id = n.delivery_point_id
   WHERE NOT n.accepted;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION refusals_after_preferences_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM refusals r
   USING old_rows o JOIN delivery_points dp ON dp.id = o.delivery_point_id
   WHERE NOT o.accepted AND r.key_hash = dp.key_hash AND r.category_id = o.category_id AND r.mailer_id = 0 AND r.delivery_point_id = o.delivery_point_id;
  INSERT INTO refusals (key_hash, category_id, delivery_point_id, refused_at)
  SELECT dp.key_hash, n.category_id, n.delivery_point_id, n.updated_at
    FROM new_rows n JOIN delivery_points dp ON dp.id = n.delivery_point_id
   WHERE NOT n.accepted;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION refusals_after_preferences_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM refusals r
   USING old_rows o JOIN delivery_points dp ON dp.id = o.delivery_point_id
   WHERE NOT o.accepted AND r.key_hash = dp.key_hash AND r.category_id = o.category_id AND r.mailer_id = 0 AND r.delivery_point_id = o.delivery_point_id;
  RETURN NULL;
END
$$;

-- A delivery point whose key is rewritten keeps its refusals under the new key's hash.
CREATE OR REPLACE FUNCTION refusals_after_key_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE refusals r SET key_hash = n.key_hash
    FROM old_rows o JOIN new_rows n ON n.id = o.id
   WHERE o.key_hash <> n.key_hash AND r.key_hash = o.key_hash AND r.delivery_point_id = o.id;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS preferences_refusals_insert ON preferences;
CREATE TRIGGER preferences_refusals_insert AFTER INSERT ON preferences
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refusals_after_preferences_insert();
DROP TRIGGER IF EXISTS preferences_refusals_update ON preferences;
CREATE TRIGGER preferences_refusals_update AFTER UPDATE ON preferences
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refusals_after_preferences_update();
DROP TRIGGER IF EXISTS preferences_refusals_delete ON preferences;
CREATE TRIGGER preferences_refusals_delete AFTER DELETE ON preferences
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refusals_after_preferences_delete();
DROP TRIGGER IF EXISTS delivery_points_refusals_key ON delivery_points;
CREATE TRIGGER delivery_points_refusals_key AFTER UPDATE ON delivery_points
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refusals_after_key_update();
