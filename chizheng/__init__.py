"""chizheng (持证): information system for the 人人持证、技能河南 training and certification programme."""

__version__ = "0.1.0"
