-- ci_unicode.sql: SQL_Latin1_General_CP1_CI_AS compares nvarchar values
-- case-insensitively beyond Latin-1 too: Greek, Cyrillic, Latin
-- Extended-A, Armenian, full-width Latin.  Keys, lookups, LIKE, GROUP BY
-- and DISTINCT follow it.
CREATE TABLE dbo.city(name nvarchar(40) PRIMARY KEY, n int)
INSERT dbo.city VALUES (N'Αθήνα', 1), (N'МОСКВА', 2), (N'Łódź', 3), (N'ԵՐԵՎԱՆ', 4), (N'ＡＢＣ', 5)
SELECT n FROM dbo.city WHERE name = N'αθήνα'
SELECT n FROM dbo.city WHERE name = N'москва'
SELECT n FROM dbo.city WHERE name = N'ŁÓDŹ'
SELECT n FROM dbo.city WHERE name = N'երեվան'
SELECT n FROM dbo.city WHERE name = N'ａｂｃ'
SELECT n FROM dbo.city WHERE name LIKE N'мос%' OR name LIKE N'%ΉΝΑ'
INSERT dbo.city VALUES (N'москва', 9)
CREATE TABLE dbo.w(x nvarchar(20))
INSERT dbo.w VALUES (N'Ωμέγα'), (N'ΩΜΈΓΑ'), (N'ωμέγα'), (N'Жук'), (N'ЖУК'), (N'Ёлка'), (N'ёлка'), (N'елка')
SELECT COUNT(*) AS c FROM dbo.w GROUP BY x ORDER BY c
SELECT COUNT(DISTINCT x) AS d FROM dbo.w
-- accents still count (AS): ε and έ, Ё and Е differ
SELECT CASE WHEN N'ε' = N'έ' THEN 'same' ELSE 'different' END AS accent
