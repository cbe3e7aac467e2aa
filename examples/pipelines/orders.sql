-- orders.sql: order events from a Kafka topic into Delta, each record exactly once;
-- records that are not valid order events go to a quarantine table with the raw value
-- and the reason, so nothing is lost: count(orders) + count(orders_quarantine) is the
-- number of records read.
--
--   sluice kafka serve --port 9092 --topic orders:3 &
--   sluice gen orders --bootstrap localhost:9092 --topic orders --rate 200 --malformed 1 &
--   sluice run examples/pipelines/orders.sql --conf kafka.bootstrap=localhost:9092
--   sluice sql -e "SELECT region, count(*) FROM orders GROUP BY region"
--
-- `sluice demo` does all of this for you. ${kafka.bootstrap} is replaced by the setting
-- of that name (Spark's variable substitution; --conf sets it). Checkpoints live under
-- each table (_checkpoint), so a restart goes on where the last committed batch ended.

CREATE OR REFRESH STREAMING TABLE orders
COMMENT 'Order events parsed from the orders topic, each Kafka record exactly once'
AS SELECT o.order_id, o.customer_id, o.region, o.status, o.amount, o.currency, o.items,
          o.order_time, partition AS kafka_partition, offset AS kafka_offset,
          timestamp AS kafka_timestamp
FROM (
  SELECT from_json(CAST(value AS STRING),
                   'order_id BIGINT, customer_id STRING, region STRING, status STRING,
                    amount DECIMAL(12,2), currency STRING,
                    items ARRAY<STRUCT<sku: STRING, qty: INT, unit_price: DECIMAL(10,2)>>,
                    order_time TIMESTAMP, _corrupt_record STRING',
                   map('columnNameOfCorruptRecord', '_corrupt_record')) AS o,
         partition, offset, timestamp
  FROM STREAM read_kafka(bootstrapServers => '${kafka.bootstrap}', subscribe => 'orders',
                         startingOffsets => 'earliest')
)
WHERE o._corrupt_record IS NULL AND o.order_id IS NOT NULL;

CREATE OR REFRESH STREAMING TABLE orders_quarantine
COMMENT 'Records of the orders topic that are not valid order events: raw value and reason'
AS SELECT CAST(value AS STRING) AS raw_value,
          CASE WHEN get_json_object(CAST(value AS STRING), '$') IS NULL THEN 'not valid JSON'
               WHEN o.order_id IS NULL THEN 'order_id is missing or not a number'
               ELSE 'a field does not match the orders schema' END AS error,
          partition AS kafka_partition, offset AS kafka_offset, timestamp AS kafka_timestamp
FROM (
  SELECT value, partition, offset, timestamp,
         from_json(CAST(value AS STRING),
                   'order_id BIGINT, customer_id STRING, region STRING, status STRING,
                    amount DECIMAL(12,2), currency STRING,
                    items ARRAY<STRUCT<sku: STRING, qty: INT, unit_price: DECIMAL(10,2)>>,
                    order_time TIMESTAMP, _corrupt_record STRING',
                   map('columnNameOfCorruptRecord', '_corrupt_record')) AS o
  FROM STREAM read_kafka(bootstrapServers => '${kafka.bootstrap}', subscribe => 'orders',
                         startingOffsets => 'earliest')
)
WHERE o._corrupt_record IS NOT NULL OR o.order_id IS NULL;
