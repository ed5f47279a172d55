"""slack_adapter"""
