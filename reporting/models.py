# The annual table's snapshots arrive with the year-end statistics.
