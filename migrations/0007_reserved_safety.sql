-- Reserved: migration 0007 is held for the "safety" change being built alongside this one. It does
-- nothing; the change that takes the number renames this file and gives it its statements.
SELECT 1;
