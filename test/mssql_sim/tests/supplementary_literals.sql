-- characters beyond the BMP in N'' literals: kept whole, 2 UTF-16 units each
SELECT N'😀' AS emoji, N'a😀b' AS mixed, DATALENGTH(N'ﬀ😀') AS bytes, LEN(N'a😀b') AS units
GO
