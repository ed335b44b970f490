"""The spasm diary: records, what they show (insights, charts), and when to get care."""
