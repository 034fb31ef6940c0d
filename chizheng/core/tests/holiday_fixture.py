"""A plausible 2027 holiday arrangement, for tests only.

The State Council's notice for 2027 is not published on the date these tests run
(2026-12-01); this schedule follows the rules of 2025 on (春节 4 statutory days, 劳动节 2)
and 2027's calendar (除夕 on Friday 5 February), but it is a fixture, not the real one.
"""

from __future__ import annotations

import datetime as dt

from chizheng.rules.holiday_schedule import Block

D = dt.date

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知（测试用样例，非真实通知）
国办发明电〔2026〕99号
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""

BLOCKS_2027 = [
    Block(("new_year",), D(2027, 1, 1), D(2027, 1, 3)),
    Block(("spring_festival",), D(2027, 2, 5), D(2027, 2, 13), (D(2027, 1, 31), D(2027, 2, 20))),
    Block(("qingming",), D(2027, 4, 3), D(2027, 4, 5)),
    Block(("labour_day",), D(2027, 5, 1), D(2027, 5, 5), (D(2027, 4, 25), D(2027, 5, 8))),
    Block(("dragon_boat",), D(2027, 6, 9), D(2027, 6, 9)),
    Block(("mid_autumn",), D(2027, 9, 15), D(2027, 9, 15)),
    Block(("national_day",), D(2027, 10, 1), D(2027, 10, 7), (D(2027, 9, 26), D(2027, 10, 9))),
]
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知（测试用样例）"
