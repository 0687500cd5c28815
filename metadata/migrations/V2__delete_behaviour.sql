-- Each relationship's delete behaviour (the lookup's "cascadeDelete" in tables/*.json) on its foreign key.
-- V1 made every lookup ON DELETE SET NULL; the RemoveLink lookups (account.primarycontactid,
-- new_bookingslot.new_bookingid) keep it, the others change. The statements are what
-- 'java -jar dvemu-server.jar' reports at start-up for a database that has only V1.

-- contact_customer_accounts: deleting an account deletes its contacts (Cascade)
ALTER TABLE contact DROP CONSTRAINT contact_parentcustomerid_fkey, ADD CONSTRAINT contact_parentcustomerid_fkey FOREIGN KEY (parentcustomerid) REFERENCES account (accountid) ON DELETE CASCADE;
-- new_stock_bookings: a stock with bookings cannot be deleted (Restrict)
ALTER TABLE new_booking DROP CONSTRAINT new_booking_new_stockid_fkey, ADD CONSTRAINT new_booking_new_stockid_fkey FOREIGN KEY (new_stockid) REFERENCES new_stock (new_stockid) ON DELETE RESTRICT;
-- new_stock_bookingslots: deleting a stock deletes its slots (Cascade)
ALTER TABLE new_bookingslot DROP CONSTRAINT new_bookingslot_new_stockid_fkey, ADD CONSTRAINT new_bookingslot_new_stockid_fkey FOREIGN KEY (new_stockid) REFERENCES new_stock (new_stockid) ON DELETE CASCADE;
