"""便民服务: the service catalogue, one-window applications (办件) under promised limits, visits counted for
最多跑一次, and 好差评 ratings with the rectification of every bad one."""
