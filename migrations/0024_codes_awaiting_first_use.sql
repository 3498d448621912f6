-- A card printed because someone asked for one ("I didn't get a card / I lost it", which anyone
-- may ask for any address) no longer ends the household's code before it has even been mailed:
-- its code awaits its first use, and that use ends the older code. So an address may have two
-- live codes: its current one, and one awaiting first use.
ALTER TABLE access_codes ADD COLUMN IF NOT EXISTS awaiting_first_use boolean NOT NULL DEFAULT false;
DROP INDEX IF EXISTS access_codes_one_live;
CREATE UNIQUE INDEX IF NOT EXISTS access_codes_one_live ON access_codes (delivery_point_id, awaiting_first_use) WHERE revoked_at IS NULL;
