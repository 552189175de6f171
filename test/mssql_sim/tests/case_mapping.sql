-- case_mapping.sql: UPPER and LOWER map accented Latin, Greek and Cyrillic
-- letters as SQL Server does (SQLite's own functions only map A-Z, so
-- LOWER(N'ÀB') gave 'Àb'); other characters stay.
SELECT LOWER(N'ÀÉÎÕÜ ŠŽŒŸ ΑΩ ЖЯЁ ABC') AS lo, UPPER(N'àéîõü šžœÿ αω жяё abc ß') AS up,
	UPPER(N'😀a') AS emoji, LOWER(N'ĹĽŇ') AS ext
GO
CREATE TABLE dbo.t(s varchar(10))
INSERT dbo.t VALUES ('café')
SELECT UPPER(s) AS u FROM dbo.t WHERE UPPER(s) = 'CAFÉ'
GO
