-- STRING_AGG(...) WITHIN GROUP (ORDER BY ...)
CREATE TABLE dbo.sa (g int, a nvarchar(10), n int)
INSERT dbo.sa VALUES (1, N'b', 2), (1, N'A', 3), (1, N'c', 1), (2, N'x', 1), (2, NULL, 2), (2, N'y', 3)
SELECT g, STRING_AGG(a, ',') WITHIN GROUP (ORDER BY a) AS by_a,
       STRING_AGG(a, '; ') WITHIN GROUP (ORDER BY n DESC) AS by_n_desc,
       STRING_AGG(CONCAT(a, ':', n), '|') WITHIN GROUP (ORDER BY g, a DESC) AS two_keys
FROM dbo.sa GROUP BY g ORDER BY g
SELECT STRING_AGG(a, ',') WITHIN GROUP (ORDER BY a DESC) AS all_desc FROM dbo.sa
GO
