-- The customer database of the retail dataset (load_retail()), as crmlib.information.build_sqlite
-- creates it. Tables are created, and filled, in the order written here. Each has a PRIMARY
-- KEY; REFERENCES are foreign keys; CHECK rules keep amounts, scores and fixed lists valid.
-- Dates are ISO text (YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM), so they sort and compare
-- correctly and SQLite's date functions read them.

CREATE TABLE sales_reps (
    rep_id     TEXT PRIMARY KEY,
    rep_name   TEXT NOT NULL,
    team       TEXT NOT NULL CHECK (team IN ('new business', 'key accounts')),
    region     TEXT NOT NULL,
    hire_date  TEXT NOT NULL
);
CREATE TABLE customers (
    customer_id         TEXT PRIMARY KEY,
    customer_type       TEXT NOT NULL CHECK (customer_type IN ('consumer', 'business')),
    company_name        TEXT,
    industry            TEXT,
    industry_position   TEXT CHECK (industry_position IN ('niche', 'follower', 'major', 'leader')),
    cooperation_years   INTEGER CHECK (cooperation_years >= 0),
    region              TEXT NOT NULL,
    city                TEXT NOT NULL,
    acquisition_channel TEXT NOT NULL,
    signup_date         TEXT NOT NULL,
    account_manager_id  TEXT REFERENCES sales_reps (rep_id)
);
CREATE TABLE contacts (
    contact_id        TEXT PRIMARY KEY,
    customer_id       TEXT NOT NULL REFERENCES customers (customer_id),
    contact_name      TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('self', 'decision maker', 'influencer', 'executor', 'negotiator')),
    phone             TEXT,
    email             TEXT,
    city              TEXT NOT NULL,
    address           TEXT,
    consent_marketing INTEGER NOT NULL CHECK (consent_marketing IN (0, 1)),
    created_date      TEXT NOT NULL
);
CREATE TABLE leads (
    lead_id        TEXT PRIMARY KEY,
    created_date   TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('referral', 'trade show', 'website', 'social media', 'cold call')),
    rep_id         TEXT NOT NULL REFERENCES sales_reps (rep_id),
    company_name   TEXT NOT NULL,
    industry       TEXT NOT NULL,
    region         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('converted', 'disqualified')),
    lost_reason    TEXT,
    opportunity_id TEXT UNIQUE REFERENCES opportunities (opportunity_id)
);
CREATE TABLE opportunities (
    opportunity_id TEXT PRIMARY KEY,
    lead_id        TEXT NOT NULL UNIQUE REFERENCES leads (lead_id),
    customer_id    TEXT REFERENCES customers (customer_id),
    rep_id         TEXT NOT NULL REFERENCES sales_reps (rep_id),
    created_date   TEXT NOT NULL,
    stage          TEXT NOT NULL CHECK (stage IN ('prospecting', 'qualification', 'needs analysis', 'proposal', 'negotiation', 'won')),
    status         TEXT NOT NULL CHECK (status IN ('won', 'lost', 'open')),
    amount         REAL NOT NULL CHECK (amount >= 0),
    close_date     TEXT CHECK (close_date >= created_date),
    lost_reason    TEXT
);
CREATE TABLE activities (
    activity_id    TEXT PRIMARY KEY,
    rep_id         TEXT NOT NULL REFERENCES sales_reps (rep_id),
    customer_id    TEXT REFERENCES customers (customer_id),
    opportunity_id TEXT REFERENCES opportunities (opportunity_id),
    activity_date  TEXT NOT NULL,
    activity_type  TEXT NOT NULL CHECK (activity_type IN ('visit', 'call', 'e-mail', 'meeting')),
    duration_min   INTEGER NOT NULL CHECK (duration_min > 0),
    CHECK ((customer_id IS NULL) <> (opportunity_id IS NULL))
);
CREATE TABLE products (
    product_id      TEXT PRIMARY KEY,
    product_name    TEXT NOT NULL,
    product_name_zh TEXT NOT NULL,
    category        TEXT NOT NULL,
    category_zh     TEXT NOT NULL,
    list_price      REAL NOT NULL CHECK (list_price >= 0),
    unit_cost       REAL NOT NULL CHECK (unit_cost >= 0)
);
CREATE TABLE orders (
    order_id           INTEGER PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (customer_id),
    order_date         TEXT NOT NULL,
    channel            TEXT NOT NULL CHECK (channel IN ('online', 'store', 'phone', 'account')),
    rep_id             TEXT REFERENCES sales_reps (rep_id),
    amount             REAL NOT NULL CHECK (amount >= 0),
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days >= 0),
    paid_date          TEXT
);
CREATE TABLE order_lines (
    order_id       INTEGER NOT NULL REFERENCES orders (order_id),
    line_no        INTEGER NOT NULL CHECK (line_no >= 1),
    product_id     TEXT NOT NULL REFERENCES products (product_id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    list_price     REAL NOT NULL CHECK (list_price >= 0),
    discount       REAL NOT NULL CHECK (discount >= 0),
    line_amount    REAL NOT NULL CHECK (line_amount >= 0),
    margin         REAL NOT NULL,  -- may be negative: some consumer lines sell below cost
    marketing_cost REAL NOT NULL CHECK (marketing_cost >= 0),
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE tickets (
    ticket_id            TEXT PRIMARY KEY,
    order_id             INTEGER NOT NULL UNIQUE REFERENCES orders (order_id),
    customer_id          TEXT NOT NULL REFERENCES customers (customer_id),
    complaint_type       TEXT NOT NULL CHECK (complaint_type IN ('product quality', 'purchase contract', 'delivery', 'service', 'suggestion')),
    channel              TEXT NOT NULL CHECK (channel IN ('hotline', 'online chat', 'e-mail', 'store')),
    received_at          TEXT NOT NULL,
    accepted_at          TEXT CHECK (accepted_at >= received_at),
    clarified_at         TEXT CHECK (clarified_at >= accepted_at),
    solution_proposed_at TEXT CHECK (solution_proposed_at >= clarified_at),
    followed_up_at       TEXT CHECK (followed_up_at >= solution_proposed_at),
    satisfaction_after   INTEGER CHECK (satisfaction_after BETWEEN 1 AND 5)
);
CREATE TABLE surveys (
    survey_id   TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL UNIQUE REFERENCES customers (customer_id),
    survey_date TEXT NOT NULL,
    -- SERVQUAL: expectation_<dimension> and perception_<dimension>, 1 to 7, added by crmlib.information
    nps_score   INTEGER NOT NULL CHECK (nps_score BETWEEN 0 AND 10)
);
CREATE TABLE marketing_spend (
    month     TEXT NOT NULL,
    segment   TEXT NOT NULL CHECK (segment IN ('consumer', 'business')),
    channel   TEXT NOT NULL,
    spend_cny REAL NOT NULL CHECK (spend_cny >= 0),
    PRIMARY KEY (month, segment, channel)
);
