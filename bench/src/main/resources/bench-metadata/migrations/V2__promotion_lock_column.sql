-- the column the server-side plug-in variant of scenario 4 writes to take the promotion's lock (the pre-lock)
ALTER TABLE tmy_promotion ADD COLUMN tmy_updatestatus varchar(100);
