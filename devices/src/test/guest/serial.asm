; Test guest: COM1 (a 16550A at 0x3F8) set up and probed the way drivers do (divisor latch,
; scratch register, loopback), then used for polled output. The probe results go to port 0xE9,
; the text to COM1; the test compares both with QEMU's. Flat multiboot image; build: nasm -f bin serial.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
COM1            equ 0x3F8

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"

%macro UART_OUT 2
        mov     dx, COM1 + %1
        mov     al, %2
        out     dx, al
%endmacro

%macro UART_IN 1
        mov     dx, COM1 + %1
        in      al, dx
        movzx   eax, al
%endmacro

entry:
        mov     esp, stack_top
        UART_OUT 1, 0x00                ; no interrupts
        UART_OUT 3, 0x80                ; DLAB
        UART_OUT 0, 0x01                ; divisor 1: 115200 baud
        UART_OUT 1, 0x00
        UART_IN 0
        PRINTHEX s_dll, eax
        UART_OUT 3, 0x03                ; 8N1
        UART_IN 3
        PRINTHEX s_lcr, eax
        UART_OUT 7, 0xA5
        UART_IN 7
        PRINTHEX s_scr, eax
        UART_IN 5
        and     eax, 0x61
        PRINTHEX s_lsr, eax
        NEWLINE

        UART_OUT 4, 0x1A                ; loopback, RTS, OUT2
        UART_IN 6
        and     eax, 0xF0
        PRINTHEX s_msr, eax
        UART_OUT 4, 0x15                ; loopback, DTR, OUT1
        UART_IN 6
        and     eax, 0xF0
        PRINTHEX s_msr, eax
        UART_OUT 0, 0xAE
        UART_IN 5
        and     eax, 0x01
        PRINTHEX s_lsr, eax
        UART_IN 0
        PRINTHEX s_rbr, eax
        UART_IN 5
        and     eax, 0x01
        PRINTHEX s_lsr, eax
        NEWLINE
        UART_OUT 4, 0x0B                ; out of loopback: DTR, RTS, OUT2

        mov     esi, s_hello
.next:  lodsb
        test    al, al
        jz      .sent
        mov     bl, al
        mov     dx, COM1 + 5
.wait:  in      al, dx
        test    al, 0x20                ; transmitter holding register empty
        jz      .wait
        mov     dx, COM1
        mov     al, bl
        out     dx, al
        jmp     .next
.sent:
        PRINT   s_done
        EXIT    0

s_dll:  db "dll=", 0
s_lcr:  db "lcr=", 0
s_scr:  db "scr=", 0
s_lsr:  db "lsr=", 0
s_msr:  db "msr=", 0
s_rbr:  db "rbr=", 0
s_hello: db "hello on COM1", 13, 10, 0
s_done: db "done", 10, 0
        align 4
image_end:
        absolute image_end
        alignb  16
        resb    4096
stack_top:
bss_end:
