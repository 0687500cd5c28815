-- The intersect table of the built-in many-to-many relationship new_booking_contact (a booking's attendees),
-- as 'java -jar server/target/dvemu-server.jar ddl' prints it.

CREATE TABLE new_booking_contact (
    new_bookingid uuid NOT NULL REFERENCES new_booking (new_bookingid) ON DELETE CASCADE,
    contactid uuid NOT NULL REFERENCES contact (contactid) ON DELETE CASCADE,
    PRIMARY KEY (new_bookingid, contactid)
);
CREATE INDEX new_booking_contact_contactid_idx ON new_booking_contact (contactid);
