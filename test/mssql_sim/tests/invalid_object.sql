-- invalid_object.sql: error 208 names the object as the user wrote it,
-- without brackets or quotes and with only the parts written, as SQL
-- Server does; never the stand-in's internal name of an attached database.
CREATE DATABASE fdwtest
GO
-- a table missing in another (existing) database, plain and bracketed
SELECT * FROM fdwtest.dbo.nosuch
GO
SELECT * FROM [fdwtest].[dbo].[nosuch]
GO
-- a database that does not exist
SELECT * FROM nodb.dbo.nosuch
GO
USE fdwtest
GO
SELECT * FROM fdwtest.dbo.nosuch
GO
SELECT * FROM nosuch
GO
SELECT * FROM fdwtest..nosuch
GO
SELECT * FROM [dbo].[no_such_table]
GO
SELECT * FROM "dbo"."no such"
GO
INSERT INTO [dbo].[nosuch] VALUES (1)
GO
UPDATE [dbo].[nosuch] SET a = 1
GO
DELETE [dbo].[nosuch]
GO
SELECT * FROM sys.[nosuch]
GO
MERGE [dbo].[nosuch] AS t USING (SELECT 1 AS a) AS s ON 1 = 1 WHEN MATCHED THEN DELETE;
GO
SET IDENTITY_INSERT [dbo].[nosuch] ON
GO
