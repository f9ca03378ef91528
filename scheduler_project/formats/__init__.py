"""Date and time formats for the admin (Django's ``FORMAT_MODULE_PATH``): a service whose
unit is the second shows times to the second, with their zone."""
