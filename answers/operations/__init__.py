"""What writes, apart from the question path: channel subscriptions and admin loads and
publishing."""
