-- uniqueidentifier order: bytes 10-15 first, then 8-9, 6-7, 4-5, 0-3
CREATE TABLE dbo.g (id uniqueidentifier PRIMARY KEY, n int)
INSERT dbo.g VALUES ('3AAAAAAA-BBBB-CCCC-DDDD-2EEEEEEEEEEE', 1),
                    ('2AAAAAAA-BBBB-CCCC-DDDD-1EEEEEEEEEEE', 2),
                    ('1AAAAAAA-BBBB-CCCC-DDDD-3EEEEEEEEEEE', 3),
                    ('00000000-0000-0000-0100-000000000000', 4),
                    ('00000000-0000-0000-0001-000000000000', 5),
                    ('00000000-0000-0100-0000-000000000000', 6),
                    ('00000000-0000-0001-0000-000000000000', 7),
                    ('01000000-0000-0000-0000-000000000000', 8),
                    ('00000001-0000-0000-0000-000000000000', 9)
SELECT id, n FROM dbo.g ORDER BY id
SELECT MIN(id) AS mn, MAX(id) AS mx FROM dbo.g
SELECT n FROM dbo.g WHERE id > '00000000-0000-0000-0100-000000000000' ORDER BY id
SELECT n FROM dbo.g WHERE id = '2aaaaaaa-bbbb-cccc-dddd-1eeeeeeeeeee'
GO
