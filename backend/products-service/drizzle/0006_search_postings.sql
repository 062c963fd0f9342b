-- Postings for the relevance search: one row per word of an active product, kept in a btree that
-- hands over a word's products best first, so a search reads a bounded slice of it (a page, a
-- capped count, capped facets) however many products hold the word; the GIN index reads and hands
-- over every match. "C" collation: lexemes compare as bytes and a prefix is one range.
CREATE TABLE "search_postings" (
	"lexeme" text COLLATE "C" NOT NULL,
	"product_id" uuid NOT NULL,
	"score" smallint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"category" text NOT NULL
);
--> statement-breakpoint
-- A product's postings: every lexeme of its search vector (10 in the name, 4 only in the
-- description, +5 for the name's first word) and its name's first 1 to 3 characters after a space
-- (5), which a one- or two-character search matches as a name beginning ("tv", "c#").
CREATE FUNCTION search_postings_of(id uuid, name text, vector tsvector, created timestamptz, category_of text)
RETURNS TABLE (lexeme text, product_id uuid, score smallint, created_at timestamptz, category text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v.lexeme, $1,
    (CASE WHEN 'A' = ANY (v.weights) THEN 10 ELSE 4 END
      + CASE WHEN v.positions[1] = 1 AND v.weights[1] = 'A' THEN 5 ELSE 0 END)::smallint,
    $4, $5
  FROM unnest($3) AS v
  UNION ALL
  SELECT ' ' || left(lower($2), n), $1, 5::smallint, $4, $5
  FROM generate_series(1, least(3, char_length($2))) AS n
$$;--> statement-breakpoint
-- Inserts in one statement per statement (a bulk load adds its postings at once), from the
-- transition table; archived products have none.
CREATE FUNCTION products_insert_search_postings() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO search_postings (lexeme, product_id, score, created_at, category)
    SELECT s.lexeme, s.product_id, s.score, s.created_at, s.category
    FROM new_rows n
      CROSS JOIN LATERAL search_postings_of(n.id, n.name, n.search_vector, n.created_at, n.category) AS s
    WHERE n.status = 'active';
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER products_search_postings_insert AFTER INSERT ON products
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_insert_search_postings();--> statement-breakpoint
-- An edit of what the postings hold replaces the product's postings. A row trigger with a column
-- list: a stock change (a sale, a give-back) does not name these columns, so it does not even fire.
CREATE FUNCTION products_replace_search_postings() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM search_postings WHERE product_id = OLD.id;
  IF NEW.status = 'active' THEN
    INSERT INTO search_postings (lexeme, product_id, score, created_at, category)
      SELECT s.lexeme, s.product_id, s.score, s.created_at, s.category
      FROM search_postings_of(NEW.id, NEW.name, NEW.search_vector, NEW.created_at, NEW.category) AS s;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER products_search_postings_update AFTER UPDATE OF name, description, category, status, created_at, id ON products
  FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.description IS DISTINCT FROM NEW.description
    OR OLD.category IS DISTINCT FROM NEW.category OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION products_replace_search_postings();--> statement-breakpoint
CREATE FUNCTION products_delete_search_postings() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE search_postings;
  ELSE
    DELETE FROM search_postings p USING old_rows o WHERE p.product_id = o.id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER products_search_postings_delete AFTER DELETE ON products
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION products_delete_search_postings();--> statement-breakpoint
CREATE TRIGGER products_search_postings_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION products_delete_search_postings();--> statement-breakpoint
-- Existing active products' postings, then the indexes over them (each built once, not row by row).
INSERT INTO search_postings (lexeme, product_id, score, created_at, category)
  SELECT s.lexeme, s.product_id, s.score, s.created_at, s.category
  FROM products p CROSS JOIN LATERAL search_postings_of(p.id, p.name, p.search_vector, p.created_at, p.category) AS s
  WHERE p.status = 'active';--> statement-breakpoint
ALTER TABLE "search_postings" ADD CONSTRAINT "search_postings_product_id_lexeme_pk" PRIMARY KEY("product_id","lexeme");--> statement-breakpoint
-- Scanned backward for one lexeme: score, then newest, then id, all descending, as results rank.
CREATE INDEX "search_postings_rank_idx" ON "search_postings" USING btree ("lexeme","score","created_at","product_id","category");
