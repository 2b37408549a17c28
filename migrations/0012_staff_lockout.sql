-- Who locked a login (issue 15 item 8). Five wrong passwords lock a staff member's login for
-- 15 minutes, and the station head's password is also typed at a clerk's screen to approve a
-- reversal, a waiver or a closing difference: anyone at the counter could lock the head out.
-- The lock stays; the staff row now says who typed the wrong passwords and where, for the head
-- (shown when the login is refused) and the administrator (the staff screen, which can unlock).
ALTER TABLE staff ADD COLUMN locked_by  TEXT; -- who typed them: "C001 王芳" (a clerk's session), or the staff member at the login screen
ALTER TABLE staff ADD COLUMN locked_via TEXT; -- where: 'login', or the channel of the approval (collection.requestReversal, …)
