-- A household's submission in one round trip. The function takes the delivery point's row lock
-- (the lock every writer of an address's choices takes first), then, in a second statement whose
-- snapshot is taken after the lock was granted (each statement of a VOLATILE function gets a
-- fresh one under READ COMMITTED), reads each category's current state, appends an event for
-- each one that changes (previous -> new) and sets the current state from those events.
--
-- Called on its own it is one autocommit statement: lock, read, write and the durable commit
-- without the BEGIN and COMMIT round trips. Called inside a caller's transaction (card import,
-- change of address) it is just one more statement of it, under the same lock.
--
-- Nothing is written when a slug is unknown, a category is retired while active_only, or
-- access_code is given and is no longer live for this address (replaced or expired); the rows
-- say which. One row per requested slug, in the order given; no row at all when the delivery
-- point does not exist.
CREATE OR REPLACE FUNCTION record_choice_changes(
  point bigint, slugs text[], wanted_accepted boolean[], event_source text, event_actor text,
  event_reference text, active_only boolean, access_code bigint
) RETURNS TABLE (
  slug text, category_id integer, active boolean, previous boolean, accepted boolean,
  event_id bigint, at timestamptz, code_live boolean
) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  PERFORM 1 FROM delivery_points d WHERE d.id = point FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH code AS (
    SELECT access_code IS NULL OR EXISTS (
             SELECT 1 FROM access_codes a
              WHERE a.id = access_code AND a.delivery_point_id = point AND a.revoked_at IS NULL AND a.expires_at > now()
           ) AS live
  ), wanted AS (
    SELECT w.slug, w.accepted, w.n, c.id AS category_id, c.active, p.accepted AS previous
      FROM unnest(slugs, wanted_accepted) WITH ORDINALITY AS w (slug, accepted, n)
      LEFT JOIN categories c ON c.slug = w.slug
      LEFT JOIN preferences p ON p.delivery_point_id = point AND p.category_id = c.id
  ), events AS (
    INSERT INTO preference_events (delivery_point_id, category_id, accepted, previous, source, actor, reference)
    SELECT point, w.category_id, w.accepted, w.previous, event_source, event_actor, event_reference
      FROM wanted w
     WHERE w.previous IS DISTINCT FROM w.accepted
       AND (SELECT live FROM code)
       AND NOT EXISTS (SELECT 1 FROM wanted x WHERE x.category_id IS NULL OR (NOT x.active AND active_only))
     ORDER BY w.n
    RETURNING preference_events.id, preference_events.category_id, preference_events.at
  ), current_state AS (
    INSERT INTO preferences (delivery_point_id, category_id, accepted, updated_at, event_id)
    SELECT point, e.category_id, w.accepted, e.at, e.id FROM events e JOIN wanted w ON w.category_id = e.category_id
    ON CONFLICT (delivery_point_id, category_id)
    DO UPDATE SET accepted = EXCLUDED.accepted, updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id
  )
  SELECT w.slug, w.category_id, w.active, w.previous, w.accepted, e.id, e.at, (SELECT live FROM code)
    FROM wanted w LEFT JOIN events e ON e.category_id = w.category_id
   ORDER BY w.n;
END
$$;
