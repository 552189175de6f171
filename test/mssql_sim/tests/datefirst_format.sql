-- SET DATEFIRST / SET DATEFORMAT (tedious sends both at connect)
SET DATEFIRST 1; SET DATEFORMAT dmy;
SELECT @@DATEFIRST AS df, DATEPART(weekday, '2024-01-01') AS wd, CAST('02/03/2024' AS date) AS d,
       DATEPART(week, '2024-01-07') AS w7, DATEPART(week, '2024-01-08') AS w8
GO
-- the settings last for the session
SELECT @@DATEFIRST AS df, CAST('13/01/2024' AS datetime2(0)) AS d
GO
SET DATEFIRST 7; SET DATEFORMAT mdy;
SELECT @@DATEFIRST AS df, DATEPART(weekday, '2024-01-01') AS wd, CAST('02/03/2024' AS date) AS d,
       DATEPART(week, '2024-01-07') AS w7
GO
