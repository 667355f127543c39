"""Identity over REST: register, log in, refresh, log out and who-am-I, for every path family."""
