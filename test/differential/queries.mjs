// SPDX-License-Identifier: Apache-2.0
//
// The differential test's queries. Each entry:
//   id       unique name (category_nn)
//   sql      the Spark SQL text, run by sluice
//   duckdb   the DuckDB text, when the dialects differ beyond toDuckDb's rewrites
//   ordered  true when the ORDER BY is total (ties only between identical rows), so
//            the rows are compared in order; otherwise as multisets
//
// Tables (see gen_data.mjs):
//   customers(c_id INT, name STRING, city STRING, segment STRING, signup DATE,
//             credit DOUBLE, vip BOOLEAN, referrer INT)
//   products(sku STRING, category STRING, weight DOUBLE, list_price DECIMAL(8,2),
//            launched DATE)
//   orders(o_id BIGINT, c_id INT, o_date DATE, o_ts TIMESTAMP, status STRING,
//          amount DECIMAL(10,2), discount DOUBLE, qty INT, priority INT, note STRING)
//          -- about 1% of the rows are exact duplicates, so o_id is not unique
//   items(i_id INT, o_id BIGINT, sku STRING, price DOUBLE, qty INT, ship_date DATE)
//
// Semantic differences avoided on purpose (not bugs on either side):
//   - CAST(double AS INT) truncates in Spark, rounds in DuckDB: DuckDB gets trunc().
//   - concat() returns NULL on a NULL argument in Spark but skips it in DuckDB: DuckDB
//     gets ||.
//   - dayofweek is 1 (Sunday) .. 7 in Spark, 0 .. 6 in DuckDB; weekday is Monday = 0 in
//     Spark, Sunday = 0 in DuckDB.
//   - round() on doubles: Spark rounds the decimal text HALF_UP, DuckDB the binary value;
//     round() is used on decimals only.
//   - left/lpad with a negative length, substring from position 0, ß/İ case mapping.
//   - avg(DECIMAL) is a DECIMAL rounded to scale + 4 in Spark, a DOUBLE in DuckDB:
//     DuckDB gets round(avg(x), s + 4).
//   - regexp_replace replaces every match in Spark, the first in DuckDB unless 'g'.
//   - date_trunc returns a TIMESTAMP in both; trunc(date, fmt) a DATE in Spark.

const q = (id, sql, options = {}) => ({ id, sql, ...options });

/// Mechanical rewrites from Spark SQL to DuckDB, applied when an entry has no `duckdb`.
export function toDuckDb(query) {
  if (query.duckdb !== undefined) return query.duckdb;
  return query.sql
    .replace(/\bLEFT\s+SEMI\s+JOIN\b/gi, 'SEMI JOIN')
    .replace(/\bLEFT\s+ANTI\s+JOIN\b/gi, 'ANTI JOIN');
}

const filters = [
  q('filter_01', 'SELECT o_id, amount FROM orders WHERE amount > 1500'),
  q('filter_02', 'SELECT o_id, status FROM orders WHERE status IS NULL'),
  q('filter_03', "SELECT o_id FROM orders WHERE status = ''"),
  q('filter_04', "SELECT o_id, status FROM orders WHERE status IN ('open', 'returned')"),
  q('filter_05', "SELECT o_id FROM orders WHERE status NOT IN ('open', 'shipped')"),
  q('filter_06', 'SELECT o_id, qty FROM orders WHERE qty BETWEEN -2 AND 2'),
  q('filter_07', 'SELECT o_id, discount FROM orders WHERE discount < 0 OR discount IS NULL'),
  q('filter_08', 'SELECT c_id, name FROM customers WHERE vip AND credit > 1000'),
  q('filter_09', 'SELECT c_id FROM customers WHERE NOT vip'),
  q('filter_10', "SELECT c_id, name FROM customers WHERE name LIKE 'A%'"),
  q('filter_11', "SELECT c_id, name FROM customers WHERE name LIKE '%é%'"),
  q('filter_12', "SELECT c_id, name FROM customers WHERE name LIKE '_o%'"),
  q('filter_13', "SELECT o_id, note FROM orders WHERE note NOT LIKE '%gift%'"),
  q('filter_14', "SELECT c_id, city FROM customers WHERE city ILIKE 'paris'"),
  q('filter_15', "SELECT o_id, note FROM orders WHERE note RLIKE '^[a-z]+$'",
    { duckdb: "SELECT o_id, note FROM orders WHERE regexp_matches(note, '^[a-z]+$')" }),
  q('filter_16', 'SELECT o_id FROM orders WHERE amount * 2 > qty * 100'),
  q('filter_17', "SELECT o_id, o_date FROM orders WHERE o_date >= DATE '2024-02-29'"),
  q('filter_18', 'SELECT c_id FROM customers WHERE referrer = c_id'),
  q('filter_19', 'SELECT o_id FROM orders WHERE c_id <=> priority',
    { duckdb: 'SELECT o_id FROM orders WHERE c_id IS NOT DISTINCT FROM priority' }),
  q('filter_20', "SELECT c_id, name FROM customers WHERE name > 'M' AND name < 'Ø'"),
  q('filter_21', 'SELECT i_id FROM items WHERE price IS NOT NULL AND qty IS NULL'),
  q('filter_22', 'SELECT o_id, priority FROM orders WHERE priority IN (1, 3, NULL)'),
  q('filter_23', 'SELECT o_id FROM orders WHERE NOT (qty > 10 OR amount < 0)'),
  q('filter_24', 'SELECT DISTINCT status FROM orders'),
  q('filter_25', 'SELECT DISTINCT segment, vip FROM customers'),
  q('filter_26', "SELECT c_id FROM customers WHERE trim(city) = '' OR city IS NULL"),
  q('filter_27', 'SELECT o_id, amount FROM orders WHERE amount = 0 OR amount < -99'),
];

const aggregates = [
  q('agg_01', 'SELECT count(*), count(c_id), count(status), count(DISTINCT status) FROM orders'),
  q('agg_02', 'SELECT sum(qty), min(qty), max(qty), avg(qty) FROM orders'),
  q('agg_03', 'SELECT sum(amount), min(amount), max(amount) FROM orders'),
  q('agg_04', 'SELECT avg(amount) FROM orders',
    { duckdb: 'SELECT round(avg(amount), 6) FROM orders' }),
  q('agg_05', 'SELECT sum(discount), avg(discount), min(discount), max(discount) FROM orders'),
  q('agg_06', 'SELECT stddev(credit), variance(credit), stddev_pop(credit), var_pop(credit) FROM customers'),
  q('agg_07', 'SELECT stddev_samp(qty), var_samp(qty) FROM orders'),
  q('agg_08', 'SELECT min(name), max(name), min(city), max(city) FROM customers'),
  q('agg_09', 'SELECT min(o_date), max(o_date), min(o_ts), max(o_ts) FROM orders'),
  q('agg_10', 'SELECT count(DISTINCT c_id), count(DISTINCT o_date) FROM orders'),
  q('agg_11', 'SELECT sum(DISTINCT qty), avg(DISTINCT qty) FROM orders'),
  q('agg_12', 'SELECT status, count(*), sum(qty) FROM orders GROUP BY status'),
  q('agg_13', 'SELECT status, priority, count(*), max(amount) FROM orders GROUP BY status, priority'),
  q('agg_14', 'SELECT segment, avg(credit), stddev(credit) FROM customers GROUP BY segment'),
  q('agg_15', 'SELECT c_id, count(*) AS n FROM orders GROUP BY c_id HAVING count(*) > 10'),
  q('agg_16', 'SELECT c_id, sum(amount) AS total FROM orders GROUP BY c_id HAVING sum(amount) > 12000 OR c_id IS NULL'),
  q('agg_17', 'SELECT status, count(*) FROM orders GROUP BY status HAVING min(qty) < 0 AND max(priority) = 5'),
  q('agg_18', 'SELECT year(o_date) AS y, count(*), sum(qty) FROM orders GROUP BY year(o_date)'),
  q('agg_19', 'SELECT vip, count(*), count(credit), sum(credit) FROM customers GROUP BY vip'),
  q('agg_20', 'SELECT count(*) FROM orders WHERE qty > 1000'),
  q('agg_21', 'SELECT sum(qty), avg(qty), min(qty), max(qty), count(qty) FROM orders WHERE qty > 1000'),
  q('agg_22', 'SELECT status, count(*) FROM orders WHERE qty > 1000 GROUP BY status'),
  q('agg_23', 'SELECT count(*) FILTER (WHERE qty < 0), sum(qty) FILTER (WHERE status = \'open\') FROM orders'),
  q('agg_24', 'SELECT count_if(vip), bool_and(vip), bool_or(vip) FROM customers'),
  q('agg_25', 'SELECT segment, bool_and(credit > 0), bool_or(vip) FROM customers GROUP BY segment'),
  q('agg_26', 'SELECT priority, percentile(qty, 0.5), median(discount) FROM orders GROUP BY priority',
    { duckdb: 'SELECT priority, quantile_cont(qty, 0.5), median(discount) FROM orders GROUP BY priority' }),
  q('agg_27', 'SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY credit) FROM customers'),
  q('agg_28', 'SELECT corr(qty, discount), covar_pop(qty, discount), covar_samp(qty, discount) FROM orders'),
  q('agg_29', 'SELECT sku, count(*), sum(qty * price) FROM items GROUP BY sku'),
  q('agg_30', 'SELECT status, avg(amount) FROM orders GROUP BY status',
    { duckdb: 'SELECT status, round(avg(amount), 6) FROM orders GROUP BY status' }),
  q('agg_31', 'SELECT category, count(DISTINCT sku), max(list_price), sum(weight) FROM products GROUP BY category'),
  q('agg_32', 'SELECT status, priority, count(*) FROM orders GROUP BY ROLLUP(status, priority)'),
  q('agg_33', 'SELECT segment, vip, count(*), grouping(segment), grouping(vip) FROM customers GROUP BY CUBE(segment, vip)'),
  q('agg_34', 'SELECT status, year(o_date), sum(qty) FROM orders GROUP BY GROUPING SETS ((status), (year(o_date)), ())'),
  q('agg_35', 'SELECT priority, count(*) FROM orders GROUP BY 1'),
  q('agg_36', 'SELECT qty % 3 AS m, count(*), sum(qty) FROM orders GROUP BY qty % 3'),
  q('agg_37', 'SELECT count(*) FROM (SELECT DISTINCT c_id, status FROM orders)'),
  q('agg_38', 'SELECT max(length(note)), min(length(note)), sum(length(note)) FROM orders'),
  q('agg_39', 'SELECT c_id, min(o_date), max(o_date), count(DISTINCT status) FROM orders GROUP BY c_id'),
  q('agg_40', 'SELECT month(o_date), stddev(qty), var_pop(discount) FROM orders GROUP BY month(o_date)'),
];

const orderLimit = [
  q('order_01', 'SELECT c_id, name FROM customers ORDER BY c_id LIMIT 15', { ordered: true }),
  q('order_02', 'SELECT c_id, credit FROM customers ORDER BY credit, c_id', { ordered: true }),
  q('order_03', 'SELECT c_id, credit FROM customers ORDER BY credit DESC, c_id', { ordered: true }),
  q('order_04', 'SELECT c_id, credit FROM customers ORDER BY credit NULLS LAST, c_id', { ordered: true }),
  q('order_05', 'SELECT c_id, credit FROM customers ORDER BY credit DESC NULLS FIRST, c_id', { ordered: true }),
  q('order_06', 'SELECT c_id, name FROM customers ORDER BY name, c_id LIMIT 40', { ordered: true }),
  q('order_07', 'SELECT c_id, name FROM customers ORDER BY name DESC, c_id DESC LIMIT 40', { ordered: true }),
  q('order_08', 'SELECT o_id, amount FROM orders ORDER BY amount DESC NULLS LAST, o_id LIMIT 10 OFFSET 5', { ordered: true }),
  q('order_09', 'SELECT o_id, o_date FROM orders ORDER BY o_date, o_id LIMIT 25 OFFSET 100', { ordered: true }),
  q('order_10', 'SELECT o_id, status, qty FROM orders ORDER BY status NULLS LAST, qty DESC, o_id LIMIT 50', { ordered: true }),
  q('order_11', 'SELECT i_id, price FROM items ORDER BY price * qty DESC, i_id LIMIT 20', { ordered: true }),
  q('order_12', 'SELECT o_id FROM orders ORDER BY o_id DESC LIMIT 0', { ordered: true }),
  q('order_13', 'SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY n DESC, status', { ordered: true }),
  q('order_14', 'SELECT c_id, city FROM customers ORDER BY city ASC NULLS LAST, c_id LIMIT 30', { ordered: true }),
  q('order_15', 'SELECT o_id, o_ts FROM orders ORDER BY o_ts DESC, o_id LIMIT 12', { ordered: true }),
  q('order_16', 'SELECT c_id, vip FROM customers ORDER BY vip, c_id DESC LIMIT 30', { ordered: true }),
  q('order_17', 'SELECT o_id, qty FROM orders ORDER BY 2 DESC, 1 LIMIT 10', { ordered: true }),
  q('order_18', 'SELECT o_id FROM orders WHERE qty > 40 LIMIT 1000'),
  q('order_19', 'SELECT o_id, amount FROM orders ORDER BY amount, o_id LIMIT 10 OFFSET 2990', { ordered: true }),
];

const joins = [
  q('join_01', 'SELECT o.o_id, c.name FROM orders o JOIN customers c ON o.c_id = c.c_id'),
  q('join_02', 'SELECT o.o_id, c.name FROM orders o LEFT JOIN customers c ON o.c_id = c.c_id'),
  q('join_03', 'SELECT o.o_id, c.c_id FROM orders o RIGHT JOIN customers c ON o.c_id = c.c_id'),
  q('join_04', 'SELECT o.o_id, c.c_id FROM orders o FULL OUTER JOIN customers c ON o.c_id = c.c_id'),
  q('join_05', 'SELECT c.c_id, c.name FROM customers c LEFT SEMI JOIN orders o ON o.c_id = c.c_id'),
  q('join_06', 'SELECT c.c_id, c.name FROM customers c LEFT ANTI JOIN orders o ON o.c_id = c.c_id'),
  q('join_07', 'SELECT o.o_id FROM orders o LEFT ANTI JOIN customers c ON o.c_id = c.c_id'),
  q('join_08', 'SELECT i.i_id, p.category FROM items i JOIN products p ON i.sku = p.sku'),
  q('join_09', 'SELECT i.i_id, p.category FROM items i LEFT JOIN products p ON i.sku = p.sku WHERE p.sku IS NULL'),
  q('join_10', 'SELECT i.i_id, p.sku FROM items i FULL JOIN products p ON i.sku = p.sku AND i.qty > 5'),
  q('join_11', 'SELECT i.i_id, p.sku FROM items i JOIN products p ON lower(i.sku) = lower(p.sku)'),
  q('join_12', 'SELECT c.c_id, r.name FROM customers c JOIN customers r ON c.referrer = r.c_id'),
  q('join_13', 'SELECT c.c_id, r.c_id FROM customers c LEFT JOIN customers r ON c.referrer = r.c_id AND r.vip'),
  q('join_14', 'SELECT o.o_id, i.i_id, p.category FROM orders o JOIN items i ON o.o_id = i.o_id JOIN products p ON i.sku = p.sku WHERE o.status = \'open\''),
  q('join_15', 'SELECT c.segment, count(*), sum(o.amount) FROM customers c JOIN orders o ON c.c_id = o.c_id GROUP BY c.segment'),
  q('join_16', 'SELECT c.c_id, count(o.o_id) FROM customers c LEFT JOIN orders o ON c.c_id = o.c_id GROUP BY c.c_id'),
  q('join_17', 'SELECT o.o_id, c.c_id FROM orders o JOIN customers c ON o.c_id = c.c_id AND o.amount > c.credit'),
  q('join_18', 'SELECT o.o_id, c.c_id FROM orders o LEFT JOIN customers c ON o.c_id = c.c_id AND c.vip WHERE o.qty > 45'),
  q('join_19', 'SELECT o.o_id, c.c_id FROM orders o JOIN customers c ON o.c_id = c.c_id OR o.priority = c.c_id WHERE o.qty = 7'),
  q('join_20', 'SELECT a.c_id, b.c_id FROM customers a CROSS JOIN customers b WHERE a.c_id < 6 AND b.c_id < 4'),
  q('join_21', 'SELECT o.o_id, c.name FROM orders o JOIN customers c USING (c_id) WHERE o.qty < 0'),
  q('join_22', 'SELECT c_id, o.o_id, c.city FROM orders o LEFT JOIN customers c USING (c_id) WHERE o.priority = 2'),
  q('join_23', 'SELECT o.o_id, c.c_id FROM orders o JOIN customers c ON o.c_id <=> c.referrer WHERE o.qty = 3',
    { duckdb: 'SELECT o.o_id, c.c_id FROM orders o JOIN customers c ON o.c_id IS NOT DISTINCT FROM c.referrer WHERE o.qty = 3' }),
  q('join_24', 'SELECT p.sku, count(i.i_id) FROM products p LEFT JOIN items i ON p.sku = i.sku GROUP BY p.sku'),
  q('join_25', 'SELECT i.i_id FROM items i LEFT SEMI JOIN orders o ON i.o_id = o.o_id AND o.status = \'shipped\''),
  q('join_26', 'SELECT i.i_id FROM items i LEFT ANTI JOIN orders o ON i.o_id = o.o_id AND o.qty > 0'),
  q('join_27', 'SELECT o.o_id, c.c_id FROM orders o FULL JOIN customers c ON o.c_id = c.c_id AND o.qty > 30 WHERE o.o_id IS NULL OR c.c_id IS NULL'),
  q('join_28', 'SELECT o1.o_id, o2.o_id FROM orders o1 JOIN orders o2 ON o1.o_id = o2.o_id AND o1.note <=> o2.note WHERE o1.o_id < 500',
    { duckdb: 'SELECT o1.o_id, o2.o_id FROM orders o1 JOIN orders o2 ON o1.o_id = o2.o_id AND o1.note IS NOT DISTINCT FROM o2.note WHERE o1.o_id < 500' }),
  q('join_29', 'SELECT c.city, p.category, count(*) FROM customers c JOIN orders o ON c.c_id = o.c_id JOIN items i ON i.o_id = o.o_id JOIN products p ON p.sku = i.sku GROUP BY c.city, p.category'),
  q('join_30', 'SELECT o.o_id, i.i_id FROM orders o RIGHT JOIN items i ON o.o_id = i.o_id WHERE i.i_id < 300'),
];

const subqueries = [
  q('subq_01', 'SELECT c_id FROM customers WHERE c_id IN (SELECT c_id FROM orders WHERE qty > 45)'),
  q('subq_02', 'SELECT c_id FROM customers WHERE c_id NOT IN (SELECT c_id FROM orders WHERE qty > 45)'),
  q('subq_03', 'SELECT c_id FROM customers WHERE c_id NOT IN (SELECT c_id FROM orders WHERE c_id IS NOT NULL)'),
  q('subq_04', 'SELECT c.c_id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.c_id = c.c_id AND o.amount > 1900)'),
  q('subq_05', 'SELECT c.c_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.c_id = c.c_id)'),
  q('subq_06', 'SELECT o_id, amount FROM orders WHERE amount > (SELECT avg(amount) * 2 FROM orders)'),
  q('subq_07', 'SELECT c.c_id, (SELECT count(*) FROM orders o WHERE o.c_id = c.c_id) AS n FROM customers c'),
  q('subq_08', 'SELECT c.c_id, (SELECT max(o.amount) FROM orders o WHERE o.c_id = c.c_id) AS m FROM customers c'),
  q('subq_09', 'WITH t AS (SELECT c_id, sum(qty) AS s FROM orders GROUP BY c_id) SELECT c.name, t.s FROM t JOIN customers c ON t.c_id = c.c_id WHERE t.s > 100'),
  q('subq_10', 'WITH a AS (SELECT * FROM orders WHERE status = \'open\'), b AS (SELECT c_id, count(*) AS n FROM a GROUP BY c_id) SELECT n, count(*) FROM b GROUP BY n'),
  q('subq_11', 'SELECT s.status, s.n FROM (SELECT status, count(*) AS n FROM orders GROUP BY status) s WHERE s.n > 100'),
  q('subq_12', 'SELECT o_id FROM orders o WHERE qty > (SELECT avg(qty) FROM orders o2 WHERE o2.c_id = o.c_id)'),
  q('subq_13', 'SELECT i_id FROM items WHERE sku IN (SELECT sku FROM products WHERE category = \'tools\') AND o_id IN (SELECT o_id FROM orders WHERE priority = 1)'),
  q('subq_14', 'SELECT c_id, name FROM customers WHERE credit = (SELECT max(credit) FROM customers)'),
];

const windows = [
  q('win_01', 'SELECT o_id, c_id, row_number() OVER (PARTITION BY c_id ORDER BY o_date, o_id) AS rn FROM orders'),
  q('win_02', 'SELECT o_id, c_id, rank() OVER (PARTITION BY c_id ORDER BY qty) AS r FROM orders'),
  q('win_03', 'SELECT o_id, dense_rank() OVER (PARTITION BY status ORDER BY priority DESC) AS r FROM orders'),
  q('win_04', 'SELECT o_id, lag(amount) OVER (PARTITION BY c_id ORDER BY o_id) AS prev FROM orders'),
  q('win_05', 'SELECT o_id, lead(qty, 2, -1) OVER (PARTITION BY c_id ORDER BY o_id) AS nxt FROM orders'),
  q('win_06', 'SELECT o_id, sum(qty) OVER (PARTITION BY c_id ORDER BY o_id) AS running FROM orders'),
  q('win_07', 'SELECT o_id, sum(amount) OVER (PARTITION BY status) AS total FROM orders'),
  q('win_08', 'SELECT o_id, avg(qty) OVER (PARTITION BY c_id ORDER BY o_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS m FROM orders'),
  q('win_09', 'SELECT o_id, count(*) OVER (PARTITION BY priority) AS n FROM orders'),
  q('win_10', 'SELECT o_id, min(qty) OVER (ORDER BY o_id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS m FROM orders'),
  q('win_11', 'SELECT c_id, credit, rank() OVER (ORDER BY credit DESC) AS r FROM customers'),
  q('win_12', 'SELECT c_id, ntile(4) OVER (ORDER BY c_id) AS q FROM customers'),
  q('win_13', 'SELECT c_id, percent_rank() OVER (PARTITION BY segment ORDER BY credit) AS p, cume_dist() OVER (PARTITION BY segment ORDER BY credit) AS c FROM customers'),
  q('win_14', 'SELECT o_id, first_value(qty) OVER (PARTITION BY c_id ORDER BY o_id) AS f FROM orders'),
  q('win_15', 'SELECT o_id, last_value(qty) OVER (PARTITION BY c_id ORDER BY o_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM orders'),
  q('win_16', 'SELECT o_id, sum(discount) OVER (ORDER BY o_date) AS running FROM orders'),
  q('win_17', 'SELECT * FROM (SELECT o_id, c_id, row_number() OVER (PARTITION BY c_id ORDER BY amount DESC, o_id) AS rn FROM orders) WHERE rn <= 2'),
  q('win_18', 'SELECT status, c, rank() OVER (ORDER BY c DESC) FROM (SELECT status, count(*) AS c FROM orders GROUP BY status)'),
  q('win_19', 'SELECT o_id, qty - lag(qty, 1) OVER (PARTITION BY c_id ORDER BY o_id) AS d FROM orders'),
  q('win_20', 'SELECT o_id, sum(qty) OVER (PARTITION BY c_id ORDER BY o_id RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s, max(amount) OVER (PARTITION BY c_id) AS m FROM orders'),
  q('win_21', 'SELECT o_id, row_number() OVER (ORDER BY o_id) AS rn FROM orders ORDER BY rn LIMIT 20', { ordered: true }),
  q('win_22', 'SELECT o_id, lead(o_date) OVER (PARTITION BY c_id ORDER BY o_date, o_id) AS nd FROM orders'),
  q('win_23', 'SELECT i_id, sum(price) OVER (PARTITION BY sku ORDER BY i_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s FROM items'),
  q('win_24', 'SELECT c_id, dense_rank() OVER (ORDER BY name) AS r FROM customers'),
];

const setOps = [
  q('set_01', 'SELECT c_id FROM customers UNION SELECT c_id FROM orders'),
  q('set_02', 'SELECT c_id FROM customers UNION ALL SELECT c_id FROM orders'),
  q('set_03', 'SELECT c_id FROM customers INTERSECT SELECT c_id FROM orders'),
  q('set_04', 'SELECT c_id FROM orders EXCEPT SELECT c_id FROM customers'),
  q('set_05', 'SELECT status FROM orders INTERSECT ALL SELECT status FROM orders WHERE qty > 20'),
  q('set_06', 'SELECT status FROM orders EXCEPT ALL SELECT status FROM orders WHERE qty > 20'),
  q('set_07', 'SELECT city AS s FROM customers UNION SELECT category FROM products'),
  q('set_08', 'SELECT o_id, c_id FROM orders WHERE qty > 40 UNION SELECT o_id, c_id FROM orders WHERE qty < -3'),
  q('set_09', 'SELECT c_id, name FROM customers WHERE vip EXCEPT SELECT c_id, name FROM customers WHERE credit < 0'),
  q('set_10', 'SELECT segment FROM customers UNION ALL SELECT status FROM orders WHERE priority = 1'),
  q('set_11', 'SELECT qty FROM orders UNION SELECT qty FROM items ORDER BY qty NULLS LAST', { ordered: true }),
  q('set_12', 'SELECT c_id FROM orders EXCEPT SELECT c_id FROM orders WHERE c_id IS NULL'),
  q('set_13', 'SELECT x, count(*) FROM (SELECT qty AS x FROM orders UNION ALL SELECT qty FROM items) GROUP BY x'),
];

const expressions = [
  q('expr_01', "SELECT o_id, CASE WHEN qty < 0 THEN 'neg' WHEN qty = 0 THEN 'zero' WHEN qty > 10 THEN 'big' END FROM orders"),
  q('expr_02', "SELECT o_id, CASE status WHEN 'open' THEN 1 WHEN 'shipped' THEN 2 ELSE 0 END FROM orders"),
  q('expr_03', 'SELECT c_id, coalesce(city, segment, name, \'?\') FROM customers'),
  q('expr_04', 'SELECT o_id, coalesce(discount, 0) * amount FROM orders'),
  q('expr_05', 'SELECT o_id, nullif(qty, 0), ifnull(priority, -1), nvl(status, \'none\') FROM orders',
    { duckdb: "SELECT o_id, nullif(qty, 0), ifnull(priority, -1), coalesce(status, 'none') FROM orders" }),
  q('expr_06', "SELECT c_id, if(vip, 'V', 'N') FROM customers"),
  q('expr_07', 'SELECT o_id, qty / 4, qty % 7, -qty, abs(qty) FROM orders'),
  q('expr_08', 'SELECT o_id, qty div 4 FROM orders', { duckdb: 'SELECT o_id, qty // 4 FROM orders' }),
  q('expr_09', 'SELECT o_id, amount / nullif(qty, 0) FROM orders WHERE qty IS NOT NULL',
    { duckdb: 'SELECT o_id, amount::DOUBLE / nullif(qty, 0) FROM orders WHERE qty IS NOT NULL' }),
  q('expr_10', 'SELECT o_id, amount * 2, amount + 0.5, amount - qty FROM orders'),
  q('expr_11', 'SELECT o_id, round(amount, 1), round(amount, -1), round(amount) FROM orders'),
  q('expr_12', 'SELECT c_id, ceil(credit), floor(credit), sign(credit) FROM customers'),
  q('expr_13', 'SELECT c_id, CAST(credit AS INT), CAST(credit AS BIGINT) FROM customers',
    { duckdb: 'SELECT c_id, CAST(trunc(credit) AS INT), CAST(trunc(credit) AS BIGINT) FROM customers' }),
  q('expr_14', 'SELECT o_id, CAST(amount AS DOUBLE) * discount FROM orders'),
  q('expr_15', 'SELECT o_id, CAST(qty AS STRING), CAST(amount AS STRING), CAST(o_date AS STRING) FROM orders'),
  q('expr_16', 'SELECT c_id, greatest(credit, 0.0, referrer), least(c_id, referrer) FROM customers'),
  q('expr_17', 'SELECT o_id, qty BETWEEN 1 AND 5, qty IN (1, 2), status IS NOT NULL FROM orders'),
  q('expr_18', 'SELECT c_id, vip AND credit > 0, vip OR credit > 0, NOT vip FROM customers'),
  q('expr_19', 'SELECT o_id, sqrt(abs(qty)), power(2, priority), exp(discount) FROM orders'),
  q('expr_20', 'SELECT o_id, ln(abs(qty) + 1), log10(abs(qty) + 1) FROM orders'),
  q('expr_21', 'SELECT o_id, qty & 6, qty | 1 FROM orders'),
  q('expr_22', 'SELECT o_id, pmod(qty, 4) FROM orders',
    { duckdb: 'SELECT o_id, ((qty % 4) + 4) % 4 FROM orders' }),
  q('expr_23', 'SELECT c_id, CAST(c_id AS DOUBLE) / 3, c_id * 1.5 FROM customers'),
  q('expr_24', 'SELECT o_id, CASE WHEN amount IS NULL THEN NULL WHEN amount > 1000 THEN amount ELSE 0 END FROM orders'),
  q('expr_25', 'SELECT o_id, discount = 0.1, discount > 0.25 FROM orders'),
  q('expr_26', "SELECT c_id, CAST(vip AS INT), CAST('12' AS INT) + c_id FROM customers"),
];

const strings = [
  q('str_01', 'SELECT c_id, upper(name), lower(name) FROM customers'),
  q('str_02', 'SELECT o_id, length(note), char_length(status) FROM orders'),
  q('str_03', "SELECT o_id, trim(note), ltrim(note), rtrim(note) FROM orders"),
  q('str_04', 'SELECT c_id, substring(name, 2, 3), substr(name, 3), substring(name, -3, 2) FROM customers'),
  q('str_05', "SELECT c_id, concat(name, '-', city) FROM customers",
    { duckdb: "SELECT c_id, name || '-' || city FROM customers" }),
  q('str_06', "SELECT c_id, concat_ws('|', name, city, segment) FROM customers"),
  q('str_07', "SELECT o_id, replace(note, 'fast', 'FAST'), replace(note, ' ', '') FROM orders"),
  q('str_08', "SELECT o_id, lpad(status, 10, '*'), rpad(status, 10, '.-') FROM orders"),
  q('str_09', "SELECT o_id, lpad(status, 3, '*'), rpad(note, 4, 'x') FROM orders"),
  q('str_10', "SELECT o_id, instr(note, 'a'), instr(note, 'café') FROM orders",
    { duckdb: "SELECT o_id, strpos(note, 'a'), strpos(note, 'café') FROM orders" }),
  q('str_11', "SELECT c_id, locate('o', name), position('an' IN lower(name)) FROM customers",
    { duckdb: "SELECT c_id, strpos(name, 'o'), position('an' IN lower(name)) FROM customers" }),
  q('str_12', 'SELECT c_id, reverse(name), repeat(segment, 2) FROM customers'),
  q('str_13', 'SELECT c_id, left(name, 3), right(name, 2) FROM customers'),
  q('str_14', "SELECT o_id, regexp_replace(note, '[aeiou]', '#') FROM orders",
    { duckdb: "SELECT o_id, regexp_replace(note, '[aeiou]', '#', 'g') FROM orders" }),
  q('str_15', "SELECT o_id, regexp_extract(note, '([a-z]+) ([a-z]+)', 2) FROM orders"),
  q('str_16', "SELECT c_id, split_part(name, ' ', 2), split_part(name, ' ', -1) FROM customers"),
  q('str_17', "SELECT o_id, translate(status, 'aeiou', 'AEIOU') FROM orders"),
  q('str_18', 'SELECT c_id, octet_length(name), length(name) FROM customers',
    { duckdb: 'SELECT c_id, strlen(name), length(name) FROM customers' }),
  q('str_19', "SELECT c_id, startswith(name, 'A'), endswith(name, 'n') FROM customers",
    { duckdb: "SELECT c_id, starts_with(name, 'A'), ends_with(name, 'n') FROM customers" }),
  q('str_20', 'SELECT c_id, ascii(name) FROM customers'),
  q('str_21', 'SELECT lower(city), count(*) FROM customers GROUP BY lower(city)'),
  q('str_22', "SELECT c_id, name || ' @ ' || city FROM customers"),
  q('str_23', "SELECT o_id, concat(status, qty) FROM orders",
    { duckdb: 'SELECT o_id, status || qty FROM orders' }),
  q('str_24', "SELECT o_id, trim(BOTH ' ' FROM note), upper(trim(note)) FROM orders",
    { duckdb: "SELECT o_id, trim(note, ' '), upper(trim(note)) FROM orders" }),
  q('str_25', "SELECT c_id, upper(substring(name, 1, 1)) || lower(substring(name, 2)) FROM customers"),
  q('str_26', "SELECT o_id FROM orders WHERE upper(note) LIKE '%GIFT%' AND length(note) > 6"),
  q('str_27', 'SELECT status, max(note), min(note) FROM orders GROUP BY status'),
  q('str_28', "SELECT c_id, length(city), city = '', city = ' ' FROM customers"),
];

const dates = [
  q('date_01', 'SELECT o_id, year(o_date), month(o_date), day(o_date), dayofmonth(o_date) FROM orders'),
  q('date_02', 'SELECT o_id, quarter(o_date), dayofyear(o_date), weekofyear(o_date) FROM orders'),
  q('date_03', 'SELECT o_id, dayofweek(o_date), weekday(o_date) FROM orders',
    { duckdb: 'SELECT o_id, dayofweek(o_date) + 1, isodow(o_date) - 1 FROM orders' }),
  q('date_04', 'SELECT o_id, date_add(o_date, 30), date_sub(o_date, 7) FROM orders',
    { duckdb: 'SELECT o_id, o_date + 30, o_date - 7 FROM orders' }),
  q('date_05', 'SELECT o.o_id, datediff(o.o_date, c.signup) FROM orders o JOIN customers c ON o.c_id = c.c_id',
    { duckdb: 'SELECT o.o_id, o.o_date - c.signup FROM orders o JOIN customers c ON o.c_id = c.c_id' }),
  q('date_06', "SELECT o_id, date_trunc('MONTH', o_date), date_trunc('YEAR', o_date) FROM orders",
    { duckdb: "SELECT o_id, CAST(date_trunc('month', o_date) AS TIMESTAMP), CAST(date_trunc('year', o_date) AS TIMESTAMP) FROM orders" }),
  q('date_07', "SELECT o_id, trunc(o_date, 'MM'), trunc(o_date, 'YEAR') FROM orders",
    { duckdb: "SELECT o_id, CAST(date_trunc('month', o_date) AS DATE), CAST(date_trunc('year', o_date) AS DATE) FROM orders" }),
  q('date_08', 'SELECT o_id, add_months(o_date, 1), add_months(o_date, -13) FROM orders',
    { duckdb: 'SELECT o_id, CAST(o_date + INTERVAL 1 MONTH AS DATE), CAST(o_date - INTERVAL 13 MONTH AS DATE) FROM orders' }),
  q('date_09', 'SELECT o_id, last_day(o_date) FROM orders'),
  q('date_10', "SELECT o_id, date_format(o_date, 'yyyy-MM'), date_format(o_date, 'dd/MM/yyyy') FROM orders",
    { duckdb: "SELECT o_id, strftime(o_date, '%Y-%m'), strftime(o_date, '%d/%m/%Y') FROM orders" }),
  q('date_11', 'SELECT o_id, make_date(year(o_date), month(o_date), 1) FROM orders'),
  q('date_12', "SELECT count(*) FROM orders WHERE o_date BETWEEN DATE '2020-01-01' AND DATE '2020-12-31'"),
  q('date_13', 'SELECT year(o_date), month(o_date), count(*), sum(amount) FROM orders GROUP BY year(o_date), month(o_date)'),
  q('date_14', "SELECT o_id FROM orders WHERE month(o_date) = 2 AND day(o_date) = 29"),
  q('date_15', 'SELECT o_id, hour(o_ts), minute(o_ts), second(o_ts) FROM orders'),
  q('date_16', 'SELECT o_id, CAST(o_ts AS DATE), CAST(o_date AS TIMESTAMP) FROM orders'),
  q('date_17', "SELECT o_id, date_trunc('HOUR', o_ts), date_trunc('DAY', o_ts) FROM orders",
    { duckdb: "SELECT o_id, date_trunc('hour', o_ts), date_trunc('day', o_ts) FROM orders" }),
  q('date_18', 'SELECT o_id, o_ts + INTERVAL 1 DAY, o_ts - INTERVAL 90 MINUTES FROM orders',
    { duckdb: 'SELECT o_id, o_ts + INTERVAL 1 DAY, o_ts - INTERVAL 90 MINUTE FROM orders' }),
  q('date_19', 'SELECT o_id, unix_seconds(o_ts) FROM orders',
    { duckdb: 'SELECT o_id, CAST(epoch(o_ts) AS BIGINT) FROM orders' }),
  q('date_20', 'SELECT c_id, year(signup) - 2015, signup < DATE \'2020-01-01\' FROM customers'),
  q('date_21', 'SELECT i.i_id, datediff(i.ship_date, o.o_date) AS d FROM items i JOIN orders o ON i.o_id = o.o_id WHERE i.ship_date IS NOT NULL',
    { duckdb: 'SELECT i.i_id, i.ship_date - o.o_date AS d FROM items i JOIN orders o ON i.o_id = o.o_id WHERE i.ship_date IS NOT NULL' }),
  q('date_22', 'SELECT extract(YEAR FROM o_date), extract(MONTH FROM o_date), count(*) FROM orders GROUP BY 1, 2'),
  q('date_23', 'SELECT max(ship_date), min(ship_date), count(DISTINCT ship_date) FROM items'),
  q('date_24', 'SELECT o_id, o_date + 1, o_date - 1 FROM orders'),
  q('date_25', "SELECT o_id, to_date('2024-02-29'), CAST('2023-12-31' AS DATE) FROM orders WHERE o_id < 5",
    { duckdb: "SELECT o_id, DATE '2024-02-29', CAST('2023-12-31' AS DATE) FROM orders WHERE o_id < 5" }),
];

const misc = [
  q('misc_01', "SELECT * FROM VALUES (1, 'a'), (2, NULL), (NULL, 'c') AS t(x, y)",
    { duckdb: "SELECT * FROM (VALUES (1, 'a'), (2, NULL), (NULL, 'c')) AS t(x, y)" }),
  q('misc_02', 'SELECT 1 + 2, \'x\', NULL, TRUE, 2.5, DATE \'2024-01-01\''),
  q('misc_03', 'SELECT * FROM products WHERE weight > 70'),
  q('misc_04', 'SELECT c.*, o.amount FROM customers c JOIN orders o ON o.c_id = c.c_id WHERE o.amount > 1990'),
  q('misc_05', 'SELECT count(*) FROM orders o JOIN items i ON o.o_id = i.o_id WHERE i.price > o.amount'),
  q('misc_06', 'SELECT status, priority FROM orders GROUP BY status, priority HAVING count(DISTINCT c_id) > 20'),
  q('misc_07', 'SELECT o_id, amount FROM orders WHERE o_id IN (SELECT o_id FROM orders GROUP BY o_id HAVING count(*) > 1)'),
  q('misc_08', 'SELECT a.s, count(*) FROM (SELECT CASE WHEN qty > 10 THEN \'hi\' ELSE \'lo\' END AS s FROM orders) a GROUP BY a.s'),
  q('misc_09', 'SELECT sum(qty * price), sum(price) / count(price) FROM items'),
  q('misc_10', 'SELECT o_id FROM orders WHERE (status = \'open\' AND qty > 10) OR (status = \'returned\' AND amount < 0)'),
  q('misc_11', 'SELECT DISTINCT c_id % 10, vip FROM customers'),
  q('misc_12', 'SELECT sum(amount) FROM orders GROUP BY c_id HAVING c_id < 0'),
];

// Expected results through several operators together.
const combined = [
  q('comb_01', 'SELECT c.name, sum(o.amount) AS total, rank() OVER (ORDER BY sum(o.amount) DESC) AS r FROM customers c JOIN orders o ON c.c_id = o.c_id GROUP BY c.c_id, c.name'),
  q('comb_02', 'SELECT segment, year(o_date) AS y, count(*) AS n FROM customers c JOIN orders o ON c.c_id = o.c_id GROUP BY segment, year(o_date) HAVING count(*) > 20 ORDER BY segment NULLS LAST, y', { ordered: true }),
  q('comb_03', 'SELECT status, sum(qty) AS s, sum(sum(qty)) OVER () AS t FROM orders GROUP BY status'),
  q('comb_04', 'SELECT o_id, amount, amount - avg(amount) OVER (PARTITION BY status) AS d FROM orders WHERE priority = 3',
    { duckdb: 'SELECT o_id, amount, amount - round(avg(amount) OVER (PARTITION BY status), 6) AS d FROM orders WHERE priority = 3' }),
  q('comb_05', 'SELECT p.category, count(DISTINCT o.c_id) FROM products p JOIN items i ON p.sku = i.sku JOIN orders o ON o.o_id = i.o_id GROUP BY p.category'),
  q('comb_06', 'SELECT c_id, o_id, amount FROM (SELECT c_id, o_id, amount, dense_rank() OVER (PARTITION BY c_id ORDER BY amount DESC) AS r FROM orders WHERE amount IS NOT NULL) WHERE r = 1'),
  q('comb_07', 'SELECT upper(status) AS s, count(*) FROM orders GROUP BY upper(status) ORDER BY s NULLS FIRST', { ordered: true }),
  q('comb_08', 'SELECT c.c_id, c.name, count(DISTINCT i.sku) AS skus FROM customers c JOIN orders o ON c.c_id = o.c_id JOIN items i ON i.o_id = o.o_id GROUP BY c.c_id, c.name ORDER BY skus DESC, c.c_id LIMIT 10', { ordered: true }),
];

// Arithmetic and type mixing: decimals with negatives, integer division and remainder
// by negatives, implicit widening in CASE/COALESCE/UNION/IN.
const typing = [
  q('type_01', 'SELECT o_id, -amount, abs(amount), amount * -1, amount * qty FROM orders'),
  // decimal(10,2) / literal 3 (decimal(1,0)) is decimal(14,6) in Spark: rounded HALF_UP.
  q('type_02', 'SELECT o_id, amount / 3, amount / 0.5 FROM orders',
    { duckdb: 'SELECT o_id, round(amount / 3, 6), amount / 0.5 FROM orders' }),
  q('type_16', 'SELECT o_id, amount / -3 FROM orders',
    { duckdb: 'SELECT o_id, round(amount / -3, 6) FROM orders' }),
  q('type_03', 'SELECT o_id, amount % 7, amount % -7 FROM orders'),
  q('type_04', 'SELECT o_id, qty div -3, qty % -4, -qty % 4 FROM orders',
    { duckdb: 'SELECT o_id, qty // -3, qty % -4, -qty % 4 FROM orders' }),
  q('type_05', 'SELECT o_id, CAST(amount AS INT), CAST(amount AS BIGINT) FROM orders',
    { duckdb: 'SELECT o_id, CAST(trunc(amount) AS INT), CAST(trunc(amount) AS BIGINT) FROM orders' }),
  q('type_06', 'SELECT o_id, CASE WHEN qty > 10 THEN qty ELSE amount END FROM orders'),
  q('type_07', 'SELECT o_id, coalesce(discount, qty, 0) FROM orders'),
  q('type_08', 'SELECT qty FROM orders UNION SELECT price FROM items WHERE price < 0'),
  q('type_09', 'SELECT o_id FROM orders WHERE amount IN (100, 1874.19, -99.84) OR qty IN (1.0, 2.5)'),
  q('type_10', 'SELECT o_id, amount > discount * 1000, amount = qty FROM orders'),
  q('type_11', 'SELECT sum(amount) / count(amount), sum(qty) * 2 / count(*) FROM orders'),
  q('type_12', 'SELECT status, sum(amount * discount), sum(-amount), max(-amount) FROM orders GROUP BY status'),
  q('type_13', 'SELECT o_id, CAST(amount AS DECIMAL(12,4)) / CAST(qty AS DECIMAL(5,1)) FROM orders WHERE qty > 0'),
  q('type_14', 'SELECT c_id, credit * 100 / 3, CAST(credit AS DECIMAL(10,2)) FROM customers'),
  q('type_15', 'SELECT o_id, o_ts > DATE \'2024-01-01\', o_date = CAST(o_ts AS DATE) FROM orders'),
];

// More shapes: ORDER BY on expressions, DISTINCT + ORDER BY, LIMIT inside subqueries,
// fan-out joins on duplicate keys, aliases in HAVING, windows over nulls.
const shapes = [
  q('shape_01', 'SELECT c_id, name FROM customers ORDER BY length(name) DESC NULLS LAST, c_id LIMIT 20', { ordered: true }),
  q('shape_02', 'SELECT DISTINCT status FROM orders ORDER BY status DESC', { ordered: true }),
  q('shape_03', 'SELECT * FROM (SELECT o_id, amount FROM orders ORDER BY amount DESC NULLS LAST, o_id LIMIT 5) t ORDER BY o_id', { ordered: true }),
  q('shape_04', 'SELECT i.i_id, p.category FROM items i JOIN products p ON i.sku = p.sku WHERE p.sku IN (\'SKU-004\', \'SKU-008\')'),
  q('shape_05', 'SELECT status, count(*) AS n FROM orders GROUP BY status HAVING n > 500'),
  q('shape_06', 'SELECT qty > 10 AS big, count(*) FROM orders GROUP BY qty > 10'),
  q('shape_07', 'SELECT min(vip), max(vip) FROM customers'),
  q('shape_08', 'SELECT o_id, rank() OVER (PARTITION BY status ORDER BY amount NULLS LAST) AS r FROM orders'),
  q('shape_09', 'SELECT o_id, lag(note, 1, \'none\') OVER (PARTITION BY priority ORDER BY o_id) AS p FROM orders'),
  q('shape_10', 'SELECT o_id, sum(amount) OVER (PARTITION BY c_id ORDER BY o_date, o_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS s FROM orders WHERE o_date IS NOT NULL'),
  q('shape_11', 'SELECT c.segment, count(DISTINCT o.status), avg(o.qty) FROM customers c LEFT JOIN orders o ON c.c_id = o.c_id GROUP BY c.segment'),
  q('shape_12', 'SELECT a.o_id FROM orders a LEFT ANTI JOIN items b ON a.o_id = b.o_id WHERE a.o_id < 1000'),
  q('shape_13', 'SELECT count(*) FROM customers a JOIN customers b ON a.city = b.city'),
  q('shape_14', 'SELECT count(*), count(o.o_id), count(c.c_id) FROM orders o FULL JOIN customers c ON o.c_id = c.c_id'),
  q('shape_15', 'SELECT o_id, amount FROM orders ORDER BY abs(amount) DESC NULLS LAST, o_id LIMIT 7 OFFSET 3', { ordered: true }),
  q('shape_16', 'SELECT year(o_date) AS y, max(amount) FROM orders WHERE status <> \'\' GROUP BY y ORDER BY y NULLS LAST', { ordered: true }),
  q('shape_17', 'SELECT substring(name, 1, 2) AS p, count(*) FROM customers GROUP BY substring(name, 1, 2)'),
  q('shape_18', "SELECT c_id, lpad(name, 8, 'é'), rpad(city, 6, '😀') FROM customers"),
  q('shape_19', 'SELECT name, count(*) FROM customers GROUP BY name HAVING count(*) > 1 ORDER BY name NULLS FIRST', { ordered: true }),
  q('shape_20', 'SELECT o_id, note FROM orders WHERE note < \'b\' AND note >= \'\''),
];

export const queries = [...filters, ...aggregates, ...orderLimit, ...joins, ...subqueries,
  ...windows, ...setOps, ...expressions, ...strings, ...dates, ...misc, ...combined, ...typing,
  ...shapes];

// Queries sluice gets wrong today, by cause. A listed query runs on the first seed only;
// its mismatch is reported but does not fail the test, and the run says when it passes
// (then delete it here). SLUICE_DIFF_STRICT=1 runs them as ordinary queries.
const kKnown = {
  // Bug: upper/lower skip the Greek letters with tonos (U+0386..U+038F, U+03AC..U+03CE):
  // SELECT upper('ή'), lower('Ή')  -- Spark (Java toUpperCase) 'Ή', 'ή'; sluice 'ή', 'Ή'.
  'upper/lower leave Greek accented letters unchanged': ['str_01'],
  'parser: percentile_cont(p) WITHIN GROUP (ORDER BY x)': ['agg_27'],
};

/// Query id -> why sluice fails it today (see kKnown).
export const known_failures = Object.fromEntries(
  Object.entries(kKnown).flatMap(([reason, ids]) => ids.map((id) => [id, reason])));
