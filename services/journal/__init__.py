"""Journal: the school year, classes, lessons, marks, attendance, period marks and the diary."""
