-- The category catalogue: the kinds of bulk mail a household can accept or refuse.
-- Retiring a category sets active = false; rows are never deleted so history stays readable.
CREATE TABLE IF NOT EXISTS categories (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  active      boolean NOT NULL DEFAULT true,
  sort_order  integer NOT NULL DEFAULT 100,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO categories (slug, name, description, sort_order) VALUES
  ('catalogs', 'Catalogs', 'Retail and mail-order catalogs of clothing, home goods, gifts, tools and the like.', 10),
  ('credit-insurance-offers', 'Credit and insurance offers', 'Pre-screened credit card, loan and mortgage offers, and insurance solicitations.', 20),
  ('coupons-retail', 'Coupons and retail advertising', 'Coupon packs, store circulars, grocery and restaurant flyers, and local business advertising.', 30),
  ('magazines-subscriptions', 'Magazine and subscription offers', 'Offers to subscribe to magazines, newspapers, clubs and other subscriptions.', 40),
  ('charity-nonprofit', 'Charity and non-profit appeals', 'Fundraising appeals from charities, non-profit organisations and religious groups.', 50),
  ('political', 'Political mail', 'Campaign mail and advocacy from candidates, parties and political committees.', 60),
  ('other', 'Other advertising', 'Any other advertising mail not covered by the categories above.', 70)
ON CONFLICT (slug) DO NOTHING;
