-- WAITFOR DELAY waits (timing is checked over TDS in tds_protocol_test.py)
WAITFOR DELAY '00:00:00.050'
SELECT 1 AS after_wait
GO
DECLARE @d char(12) = '00:00:00.010'
WAITFOR DELAY @d
SELECT 2 AS after_var
GO
WAITFOR DELAY 'xx'
GO
