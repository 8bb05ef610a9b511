-- The customer database of the tea dataset (load_tea()), as crmlib.information.build_sqlite
-- creates it. Tables are created, and filled, in the order written here. Each has a PRIMARY
-- KEY; REFERENCES are foreign keys; CHECK rules keep amounts, scores and fixed lists valid.
-- Dates are ISO text (YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM), so they sort and compare
-- correctly and SQLite's date functions read them.

CREATE TABLE brands (
    brand_id        TEXT PRIMARY KEY,
    brand_name      TEXT NOT NULL,
    brand_name_zh   TEXT NOT NULL,
    positioning     TEXT NOT NULL CHECK (positioning IN ('premium', 'regional', 'mass-market')),
    home_market     TEXT NOT NULL,
    drink_price_cny TEXT NOT NULL,
    target_customer TEXT NOT NULL,
    founded_year    INTEGER NOT NULL
);
CREATE TABLE stores (
    store_id  TEXT PRIMARY KEY,
    brand_id  TEXT NOT NULL REFERENCES brands (brand_id),
    city      TEXT NOT NULL,
    city_zh   TEXT NOT NULL,
    province  TEXT NOT NULL,
    city_tier TEXT NOT NULL CHECK (city_tier IN ('tier 1', 'new tier 1', 'tier 2', 'tier 3', 'tier 4', 'tier 5')),
    site_type TEXT NOT NULL,
    ownership TEXT NOT NULL CHECK (ownership IN ('direct', 'franchise')),
    open_date TEXT NOT NULL
);
CREATE TABLE products (
    product_id      TEXT PRIMARY KEY,
    brand_id        TEXT NOT NULL REFERENCES brands (brand_id),
    product_name    TEXT NOT NULL,
    product_name_zh TEXT NOT NULL,
    category        TEXT NOT NULL,
    price           REAL NOT NULL CHECK (price >= 0),
    is_collab       INTEGER NOT NULL CHECK (is_collab IN (0, 1)),
    available_from  TEXT,
    available_to    TEXT CHECK (available_to >= available_from)
);
CREATE TABLE members (
    member_id     TEXT PRIMARY KEY,
    brand_id      TEXT NOT NULL REFERENCES brands (brand_id),
    join_date     TEXT NOT NULL,
    join_channel  TEXT NOT NULL CHECK (join_channel IN ('in-store QR code', 'mini-program', 'delivery app', 'collab campaign')),
    age_band      TEXT NOT NULL CHECK (age_band IN ('under 18', '18-24', '25-34', '35-44', '45+')),
    gender        TEXT NOT NULL CHECK (gender IN ('F', 'M')),
    city          TEXT NOT NULL,
    home_store_id TEXT NOT NULL REFERENCES stores (store_id)
);
CREATE TABLE campaigns (
    campaign_id      TEXT PRIMARY KEY,
    brand_id         TEXT NOT NULL,  -- 'ALL' for the coupon test, so no REFERENCES brands
    campaign_name    TEXT NOT NULL,
    campaign_name_zh TEXT NOT NULL,
    campaign_type    TEXT NOT NULL CHECK (campaign_type IN ('collab', 'coupon A/B test')),
    partner          TEXT,
    partner_kind     TEXT,
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL CHECK (end_date >= start_date)
);
CREATE TABLE coupon_sends (
    send_id       TEXT PRIMARY KEY,
    campaign_id   TEXT NOT NULL REFERENCES campaigns (campaign_id),
    member_id     TEXT NOT NULL UNIQUE REFERENCES members (member_id),
    brand_id      TEXT NOT NULL REFERENCES brands (brand_id),
    variant       TEXT NOT NULL CHECK (variant IN ('A', 'B')),
    sent_date     TEXT NOT NULL,
    redeemed_date TEXT CHECK (redeemed_date >= sent_date)
);
CREATE TABLE orders (
    order_id       INTEGER PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members (member_id),
    brand_id       TEXT NOT NULL REFERENCES brands (brand_id),
    store_id       TEXT NOT NULL REFERENCES stores (store_id),
    order_time     TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('in-store', 'mini-program', 'delivery')),
    n_items        INTEGER NOT NULL CHECK (n_items > 0),
    gross_amount   REAL NOT NULL CHECK (gross_amount >= 0),
    discount       REAL NOT NULL CHECK (discount >= 0 AND discount <= gross_amount),
    net_amount     REAL NOT NULL CHECK (net_amount >= 0),
    coupon_send_id TEXT UNIQUE REFERENCES coupon_sends (send_id)
);
CREATE TABLE order_items (
    order_id    INTEGER NOT NULL REFERENCES orders (order_id),
    line_no     INTEGER NOT NULL CHECK (line_no >= 1),
    product_id  TEXT NOT NULL REFERENCES products (product_id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  REAL NOT NULL CHECK (unit_price >= 0),
    line_amount REAL NOT NULL CHECK (line_amount >= 0),
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE feedback (
    feedback_id    TEXT PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members (member_id),
    brand_id       TEXT NOT NULL REFERENCES brands (brand_id),
    store_id       TEXT NOT NULL REFERENCES stores (store_id),
    created_at     TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('mini-program', 'hotline', 'delivery-app review', 'in-store')),
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    category       TEXT NOT NULL,
    is_complaint   INTEGER NOT NULL CHECK (is_complaint IN (0, 1)),
    text           TEXT,
    response_hours REAL NOT NULL CHECK (response_hours >= 0)
);
CREATE TABLE surveys (
    survey_id   TEXT PRIMARY KEY,
    member_id   TEXT NOT NULL UNIQUE REFERENCES members (member_id),
    brand_id    TEXT NOT NULL REFERENCES brands (brand_id),
    survey_date TEXT NOT NULL,
    -- SERVQUAL: expectation_<dimension> and perception_<dimension>, 1 to 7, added by crmlib.information
    nps_score   INTEGER NOT NULL CHECK (nps_score BETWEEN 0 AND 10)
);
