-- files_to_delta.sql: JSON order files dropped into a directory are ingested exactly once
-- into a bronze Delta table; a second streaming table reads the first as a stream.
--
--   sluice run examples/pipelines/files_to_delta.sql                   runs until Ctrl-C
--   sluice run examples/pipelines/files_to_delta.sql --available-now   drains, then exits
--   sluice sql -e "SELECT country, count(*) FROM orders_by_country GROUP BY country"
--
-- Drop more files into examples/data/orders_stream (write them elsewhere and rename them
-- in, or give them a name starting with '.' until they are complete) and they are picked
-- up by the next micro-batch. Checkpoints live under each table (_checkpoint).

CREATE OR REFRESH STREAMING TABLE orders_bronze
COMMENT 'Order events as they arrived, one row per JSON line'
AS SELECT *
FROM STREAM read_files(
  'examples/data/orders_stream',
  format => 'json',
  schema => 'order_id BIGINT, customer_id STRING, status STRING, order_ts TIMESTAMP,
             total DECIMAL(10,2), items ARRAY<STRUCT<sku: STRING, qty: INT, unit_price: DECIMAL(10,2)>>,
             shipping STRUCT<country: STRING, express: BOOLEAN>, coupon STRING');

CREATE OR REFRESH STREAMING TABLE orders_by_country
PARTITIONED BY (country)
COMMENT 'Orders paid or shipped, partitioned by shipping country'
AS SELECT order_id, customer_id, status, order_ts, total,
          shipping.country AS country, size(items) AS num_items, shipping.express AS express
FROM STREAM(orders_bronze)
WHERE status <> 'created';
