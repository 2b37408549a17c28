-- Reserved: migration 0012 is held for the "intake" change being built alongside this one. It does
-- nothing; the change that takes the number renames this file and gives it its statements.
SELECT 1;
