-- ODBC catalog procedures (result shapes of Microsoft's pages); a bare procedure call as the first statement of a batch
CREATE TABLE dbo.orders (id int IDENTITY CONSTRAINT pk_orders PRIMARY KEY, name nvarchar(50) NOT NULL, amt decimal(10,2), d datetime, v varchar(max), rv rowversion)
CREATE INDEX ix_name ON dbo.orders (name)
GO
sp_tables
GO
EXEC sp_tables @table_name = 'ord%', @table_type = '''TABLE'''
GO
sp_columns orders
GO
sp_pkeys orders
GO
EXEC sp_special_columns orders
EXEC sp_special_columns orders, NULL, NULL, 'V'
GO
sp_statistics orders
GO
sp_helpindex 'dbo.orders'
GO
sp_datatype_info_100 12, 3
GO
sp_who
GO
sp_stored_procedures 'sp_t%'
GO
sp_fkeys orders
