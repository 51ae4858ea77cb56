"""Tiketti: a customer-support ticketing system."""
