-- dml.sql: INSERT/UPDATE/DELETE/TRUNCATE, IDENTITY, DEFAULT, rowversion,
-- constraint errors and statement atomicity, queries.
CREATE TABLE dbo.t (
	id int IDENTITY(1,1) PRIMARY KEY,
	code varchar(5) NOT NULL UNIQUE,
	qty int NOT NULL DEFAULT 1,
	price money NULL,
	rv rowversion
)
GO
INSERT INTO dbo.t (code, price) VALUES ('a', 1.5), ('b', 2.25), ('c', NULL)
SELECT @@ROWCOUNT AS rc, @@IDENTITY AS ident, SCOPE_IDENTITY() AS scope_ident, IDENT_CURRENT('dbo.t') AS cur
INSERT INTO dbo.t (code) VALUES ('d')
INSERT dbo.t (code, qty) SELECT code + 'x', qty + 10 FROM dbo.t WHERE code IN ('a', 'b')
SELECT id, code, qty, price FROM dbo.t ORDER BY id
SELECT COUNT(DISTINCT rv) AS distinct_rowversions, MIN(DATALENGTH(rv)) AS rv_len FROM dbo.t
GO
-- errors: each aborts its statement only, and the statement changes nothing
INSERT INTO dbo.t (code) VALUES ('e'), ('a')
INSERT INTO dbo.t (code) VALUES ('toolong')
INSERT INTO dbo.t (code, qty) VALUES ('f', NULL)
INSERT INTO dbo.t (id, code) VALUES (99, 'g')
UPDATE dbo.t SET id = 5 WHERE code = 'a'
SELECT COUNT(*) AS still_six FROM dbo.t
GO
-- compile errors end the batch
INSERT INTO dbo.t (code, qty) VALUES ('h')
SELECT 'not reached'
GO
INSERT INTO dbo.t (nosuch) VALUES (1)
GO
SET IDENTITY_INSERT dbo.t ON
INSERT INTO dbo.t (id, code) VALUES (50, 'g')
SET IDENTITY_INSERT dbo.t OFF
INSERT INTO dbo.t (code) VALUES ('after')
SELECT id, code FROM dbo.t WHERE id >= 50 ORDER BY id
GO
-- UPDATE with expressions, string concatenation, DEFAULT; DELETE
UPDATE dbo.t SET qty = qty * 2, code = code + '!' WHERE id <= 2
UPDATE dbo.t SET price = DEFAULT WHERE code = 'c'
UPDATE t SET qty += 1 WHERE code LIKE 'd%'
SELECT id, code, qty, price FROM dbo.t ORDER BY id
DELETE FROM dbo.t WHERE code LIKE '%x'
DELETE dbo.t WHERE id = 51
SELECT @@ROWCOUNT AS deleted
UPDATE dbo.t SET code = 'b!' WHERE id = 1
GO
-- queries: WHERE, ORDER BY, TOP, OFFSET/FETCH, GROUP BY, joins, subqueries, UNION
CREATE TABLE dbo.cat (code varchar(5) PRIMARY KEY, label nvarchar(20))
INSERT INTO dbo.cat VALUES ('a!', N'Alpha'), ('c', N'Gamma'), ('z', N'Zeta')
SELECT TOP 2 id, code FROM dbo.t ORDER BY id DESC
SELECT TOP (1) code FROM dbo.t ORDER BY code
SELECT id FROM dbo.t ORDER BY id OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY
SELECT id FROM dbo.t ORDER BY id OFFSET 3 ROWS
SELECT t.code, c.label FROM dbo.t AS t JOIN dbo.cat c ON c.code = t.code ORDER BY t.code
SELECT t.code, c.label FROM dbo.t t LEFT JOIN dbo.cat c ON c.code = t.code ORDER BY t.id
SELECT qty, COUNT(*) AS n, SUM(price) AS total FROM dbo.t GROUP BY qty HAVING COUNT(*) >= 1 ORDER BY qty
SELECT code FROM dbo.t WHERE id IN (SELECT MIN(id) FROM dbo.t) OR code BETWEEN 'c' AND 'd'
SELECT code FROM dbo.t WHERE price IS NULL
SELECT code FROM dbo.cat WHERE code NOT IN ('z') UNION SELECT 'new' ORDER BY code
SELECT DISTINCT qty FROM dbo.t ORDER BY qty
SELECT [dbo].[t].[code] FROM [dbo].[t] WHERE "id" = 1
SELECT code FROM dbo.t WITH (NOLOCK) WHERE id = 1
GO
-- UPDATE ... FROM naming the target again (T-SQL) and through a join
UPDATE dbo.t SET qty = 7 FROM dbo.t AS x WHERE x.code = 'c'
UPDATE x SET qty = 8 FROM dbo.t x JOIN dbo.cat c ON c.code = x.code WHERE c.label = N'Alpha'
SELECT code, qty FROM dbo.t WHERE code IN ('a!', 'c') ORDER BY code
GO
-- collation: case-insensitive, trailing spaces ignored
SELECT code FROM dbo.cat WHERE code = 'A!  '
SELECT label FROM dbo.cat WHERE label = N'alpha'
SELECT label FROM dbo.cat ORDER BY label DESC
GO
TRUNCATE TABLE dbo.t
INSERT INTO dbo.t (code) VALUES ('fresh')
SELECT id, code FROM dbo.t
GO
-- DEFAULT VALUES
CREATE TABLE dbo.d (id int IDENTITY PRIMARY KEY, n int DEFAULT 42, s varchar(3) DEFAULT 'abc')
INSERT INTO dbo.d DEFAULT VALUES
SELECT * FROM dbo.d
GO
