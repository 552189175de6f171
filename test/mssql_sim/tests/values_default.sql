-- DEFAULT as a value in INSERT ... VALUES: the column's default, or NULL
CREATE TABLE dbo.dd (a nvarchar(10), b int DEFAULT 42, c int, d varchar(10) DEFAULT 'dflt')
INSERT dbo.dd VALUES (N'x', DEFAULT, 1, DEFAULT)
INSERT dbo.dd (a, b, c) VALUES (N'y', DEFAULT, DEFAULT), (N'z', 7, 8)
INSERT dbo.dd (a, d) VALUES ('DEFAULT', 'default')
SELECT a, b, c, d FROM dbo.dd ORDER BY a
GO
