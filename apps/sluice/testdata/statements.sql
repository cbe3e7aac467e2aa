-- used by the cli.sql_file test
CREATE TABLE nums (n INT);
INSERT INTO nums
  VALUES (1), (2), (3);
SELECT sum(n) AS total
  FROM nums;
