"""One chat turn end to end (scoring, answering, storing), the session store and the composition root."""
